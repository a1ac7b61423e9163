using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Cimeika.Web.Tests.Support;

/// <summary>The real app in memory, on a real PostgreSQL database.</summary>
public sealed class CimeikaFactory(
    string database,
    string environment = "Development",
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    public string Database { get; } = database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("POSTGRES_HOST", TestDatabase.Host);
        builder.UseSetting("POSTGRES_PORT", TestDatabase.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("POSTGRES_USER", TestDatabase.User);
        builder.UseSetting("POSTGRES_PASSWORD", TestDatabase.Password);
        builder.UseSetting("POSTGRES_DB", Database);
        builder.UseSetting("LOG_LEVEL", "Warning");
        builder.UseSetting("SHUTDOWN_DELAY_SECONDS", "0");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<IStartupFilter, TestRemoteAddress>();
            services?.Invoke(s);
        });
    }

    public HttpClient CreateBrowserClient() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
    });
}
