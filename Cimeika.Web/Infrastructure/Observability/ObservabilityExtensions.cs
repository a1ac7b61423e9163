using Cimeika.Web.Infrastructure.Configuration;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Cimeika.Web.Infrastructure.Observability;

public static class ObservabilityExtensions
{
    /// <summary>Serilog (console, and Seq when SEQ_URL is set) and Sentry (when SENTRY_DSN is set).</summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder, AppSettings settings)
    {
        var minimum = ParseLevel(settings.LogLevel);
        var production = builder.Environment.IsProduction();

        builder.Services.AddSerilog((services, logger) =>
        {
            logger.MinimumLevel.Is(minimum)
                .MinimumLevel.Override("Microsoft.AspNetCore", Max(minimum, LogEventLevel.Warning))
                .MinimumLevel.Override("Microsoft.Extensions.Http", Max(minimum, LogEventLevel.Warning))
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", Max(minimum, LogEventLevel.Information))
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Application", "cimeika")
                .Enrich.WithProperty("Environment", builder.Environment.EnvironmentName)
                .Enrich.WithProperty("Version", AppInfo.Version)
                .Enrich.WithProperty("MachineName", Environment.MachineName);

            if (production)
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}");
            }

            if (settings.SeqUrl is { } seqUrl)
            {
                logger.WriteTo.Seq(seqUrl, apiKey: settings.SeqApiKey);
            }
        }, writeToProviders: settings.SentryDsn is not null);

        if (settings.SentryDsn is { } dsn)
        {
            builder.WebHost.UseSentry(o =>
            {
                o.Dsn = dsn;
                o.Environment = builder.Environment.EnvironmentName.ToLowerInvariant();
                o.Release = $"cimeika@{AppInfo.Version}";
                o.TracesSampleRate = settings.SentryTracesSampleRate ?? (production ? 0.1 : 1.0);
                o.SendDefaultPii = false;
                o.MaxRequestBodySize = Sentry.Extensibility.RequestSize.None;
            });
        }
        return builder;
    }

    /// <summary>One line per request: method, route template, status, elapsed; never the raw path or query.</summary>
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(o =>
        {
            o.MessageTemplate = "HTTP {RequestMethod} {RoutePattern} responded {StatusCode} in {Elapsed:0.0} ms";
            o.GetMessageTemplateProperties = (context, _, elapsed, status) =>
            [
                new("RequestMethod", new ScalarValue(context.Request.Method)),
                new("RoutePattern", new ScalarValue(RoutePattern(context))),
                new("StatusCode", new ScalarValue(status)),
                new("Elapsed", new ScalarValue(elapsed)),
            ];
            o.GetLevel = (context, _, exception) =>
                exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : IsProbe(context.Request.Path) ? LogEventLevel.Verbose
                : LogEventLevel.Information;
        });
        return app;
    }

    private static string RoutePattern(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText is { } pattern
            ? "/" + pattern.TrimStart('/')
            : "(unmatched)";

    private static bool IsProbe(PathString path) => path == "/health" || path == "/ready";

    private static LogEventLevel Max(LogEventLevel a, LogEventLevel b) => a > b ? a : b;

    public static LogEventLevel ParseLevel(string value) => value.ToLowerInvariant() switch
    {
        "trace" or "verbose" => LogEventLevel.Verbose,
        "debug" => LogEventLevel.Debug,
        "warning" or "warn" => LogEventLevel.Warning,
        "error" => LogEventLevel.Error,
        "critical" or "fatal" => LogEventLevel.Fatal,
        _ => LogEventLevel.Information,
    };
}
