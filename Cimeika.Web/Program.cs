using Cimeika.Web.Infrastructure.Api;
using Cimeika.Web.Infrastructure.Configuration;
using Cimeika.Web.Infrastructure.Data;
using Cimeika.Web.Infrastructure.Health;
using Cimeika.Web.Infrastructure.Identity;
using Cimeika.Web.Infrastructure.Observability;
using Cimeika.Web.Infrastructure.Security;
using Cimeika.Web.Infrastructure.Web;
using Cimeika.Web.Modules;
using Cimeika.Web.Modules.Kazkar;
using Cimeika.Web.Modules.Nastrij;
using Cimeika.Web.Modules.Operations;

var command = args.FirstOrDefault() is { } first && !first.StartsWith('-') ? first : null;
var hostArgs = command is null ? args : args[1..];

WebApplicationBuilder builder;
AppSettings settings;
DatabaseSettings database;
try
{
    builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = hostArgs,
        EnvironmentName = EnvironmentNames.ToHostName(Environment.GetEnvironmentVariable("ENVIRONMENT")),
    });
    (settings, database) = builder.AddCimeikaSettings();
}
catch (InvalidConfigurationException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}

builder.AddObservability(settings);
builder.AddSecurity(settings);
builder.Services.AddDataAccess(database);
builder.Services.AddAccounts(settings, builder.Environment);
builder.Services.AddHealth();
builder.Services.AddMetricsExport();
builder.Services.AddWebUi();
builder.Services.AddApiDocs();
builder.Services.AddKazkar();
builder.Services.AddNastrij();
builder.Services.AddOperations();

var app = builder.Build();

switch (command)
{
    case null:
        break;
    case "migrate":
        return await CommandLine.MigrateAsync(app.Services);
    case "users":
    case "tokens":
        return await AccountCommands.RunAsync(app.Services, command, hostArgs);
    default:
        await Console.Error.WriteLineAsync($"Unknown command '{command}'. Commands: migrate, users add, tokens create.");
        return 2;
}

app.UseSecurity();
app.UseRequestLogging();
app.UseErrorHandling();
app.UseResponseCompression();
// Routing after the error handlers, so re-executed error pages are routed afresh.
app.UseRouting();
app.UseMatchedRouteForLogs();
app.UseRequestLocalization();
app.UseApiCors();
app.UseRequestLimits();
app.UseApiDocs();
app.UseAccounts();

app.MapStaticAssets().AllowAnonymous().DisableRateLimiting();
app.MapHealthEndpoints();
app.MapMetrics();
app.MapModulesApi();
app.MapKazkarApi();
app.MapNastrijApi();
app.MapCultureSwitch();
app.MapRazorPages().WithStaticAssets();

await app.RunAsync();
return Environment.ExitCode;

public partial class Program;
