using System.Security.Claims;
using Cimeika.Web.Infrastructure.Configuration;
using Cimeika.Web.Infrastructure.Health;
using Sentry.AspNetCore;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Cimeika.Web.Infrastructure.Observability;

public static class ObservabilityExtensions
{
    // One past Fatal: a level no event reaches, which switches a category off completely.
    private const LogEventLevel Off = LogEventLevel.Fatal + 1;

    /// <summary>
    /// Serilog (console; Seq when SEQ_URL is set), Sentry (when SENTRY_DSN is set) and the activity
    /// listener that gives every request a trace id.
    /// </summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder, AppSettings settings)
    {
        var minimum = ParseLevel(settings.LogLevel);
        var production = builder.Environment.IsProduction();

        builder.Services.AddSerilog((services, logger) =>
        {
            logger.MinimumLevel.Is(minimum)
                .MinimumLevel.Override("Microsoft.AspNetCore", Max(minimum, LogEventLevel.Warning))
                // Its request scope would add RequestPath (which can carry a feed token) to every event
                // logged during a request; the request line below says what is safe instead. It logs
                // nothing else worth keeping.
                .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", Off)
                .MinimumLevel.Override("Microsoft.Extensions.Http", Max(minimum, LogEventLevel.Warning))
                // It logs every unhealthy result at Error, every few seconds during an outage (and each
                // would become a Sentry event); the health collector logs each change of status once.
                .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", Max(minimum, LogEventLevel.Information))
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Application", "cimeika")
                .Enrich.WithProperty("Environment", builder.Environment.EnvironmentName)
                .Enrich.WithProperty("Version", AppInfo.Version)
                .Enrich.WithProperty("MachineName", Environment.MachineName);

            // Trace and span ids travel on every event (@tr/@sp in JSON and Seq).
            if (production)
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
            else
            {
                logger.WriteTo.Console(outputTemplate:
                    "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j} trace={TraceId}{NewLine}{Exception}");
            }

            if (settings.SeqUrl is { } seqUrl)
            {
                // Batched on a background worker: a slow or absent Seq never blocks a request.
                logger.WriteTo.Seq(seqUrl, apiKey: settings.SeqApiKey,
                    messageHandler: new SeqAvailability(services, seqUrl));
            }
        }, preserveStaticLogger: true, writeToProviders: settings.SentryDsn is not null);

        builder.Services.AddHostedService<RequestTraceIds>();

        if (settings.SentryDsn is { } dsn)
        {
            // Serilog forwards events to the logging providers only for Sentry's sake: not to the
            // default console provider as well.
            builder.Logging.ClearProviders();
            var rate = settings.SentryTracesSampleRate ?? (production ? 0.1 : 1.0);
            builder.WebHost.UseSentry(o =>
            {
                o.Dsn = dsn;
                o.Environment = builder.Environment.EnvironmentName.ToLowerInvariant();
                o.Release = $"cimeika@{AppInfo.Version}";
                o.SendDefaultPii = false;
                o.MaxRequestBodySize = Sentry.Extensibility.RequestSize.None;
                o.TracesSampler = context =>
                    context.TryGetHttpPath() is { } path && SentryPrivacy.IsExcluded(path) ? 0 : rate;
                o.SetBeforeSend(SentryPrivacy.Scrub);
                o.SetBeforeSendTransaction(SentryPrivacy.Scrub);
            });
        }
        return builder;
    }

    /// <summary>
    /// One line per request: method, route template, status, elapsed ms, trace id (of the event) and
    /// user id; never the raw path, query, headers, cookies or body.
    /// </summary>
    public static WebApplication UseRequestLogging(this WebApplication app)
    {
        app.UseSerilogRequestLogging(o =>
        {
            o.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            o.MessageTemplate = "HTTP {RequestMethod} {RoutePattern} responded {StatusCode} in {Elapsed:0.0} ms";
            o.GetMessageTemplateProperties = (context, _, elapsed, status) =>
            [
                new("RequestMethod", new ScalarValue(context.Request.Method)),
                new("RoutePattern", new ScalarValue(RoutePattern(context))),
                new("StatusCode", new ScalarValue(status)),
                new("Elapsed", new ScalarValue(elapsed)),
                new("UserId", new ScalarValue(UserId(context))),
            ];
            // Probes come every few seconds, and a 503 from /ready during an outage is expected: the
            // health collector logs each change of status once instead.
            o.GetLevel = (context, _, exception) =>
                exception is not null ? LogEventLevel.Error
                : IsProbe(context.Request.Path) ? LogEventLevel.Verbose
                : context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : LogEventLevel.Information;
        });
        return app;
    }

    /// <summary>
    /// Right after routing: remembers the route the request matched, before an error page re-executes
    /// it under its own route (a 404 is logged as unmatched, not as /error/{code}).
    /// </summary>
    public static WebApplication UseMatchedRouteForLogs(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Items.TryAdd(MatchedRouteKey, RoutePattern(context.GetEndpoint()));
            return next(context);
        });
        return app;
    }

    private const string MatchedRouteKey = "Cimeika.MatchedRoute";

    /// <summary>"GET /kazkar/{id}": the method and the route the request matched, never its path.</summary>
    public static string RequestName(HttpContext context) => $"{context.Request.Method} {RoutePattern(context)}";

    private static string RoutePattern(HttpContext context) =>
        context.Items.TryGetValue(MatchedRouteKey, out var matched) && matched is string route ? route : RoutePattern(context.GetEndpoint());

    private static string RoutePattern(Endpoint? endpoint) =>
        (endpoint as RouteEndpoint)?.RoutePattern.RawText is { } pattern
            ? "/" + pattern.TrimStart('/')
            : "(unmatched)";

    private static string? UserId(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    private static bool IsProbe(PathString path) =>
        path == "/health" || path == "/ready" || path == "/metrics" || path == HealthExtensions.HealthChecksApiPath;

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
