using System.Text.Json.Serialization;
using HealthChecks.UI.Client;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cimeika.Web.Infrastructure.Health;

public static class HealthExtensions
{
    public const string ReadyTag = "ready";
    public const string HealthChecksApiPath = "/healthchecks-api";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddSingleton<ShutdownState>();
        services.AddHostedService<ShutdownDelay>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<ShutdownHealthCheck>("accepting_requests", tags: [ReadyTag]);
        return services;
    }

    /// <summary>
    /// <c>/health</c> (liveness: never touches the database), <c>/ready</c> (readiness: every check) and
    /// <c>/healthchecks-api</c> (every check in the HealthChecks UI client format, for the operator
    /// dashboard's collector and any external HealthChecks UI).
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/health", () => TypedResults.Json(new LivenessResponse("ok")))
            .WithTags("Service")
            .WithSummary("Liveness: the process answers. Never touches the database.")
            .AllowAnonymous()
            .Produces<LivenessResponse>()
            .DisableRateLimiting();

        endpoints.MapGet("/ready", async (HealthCheckService health, HttpContext context) =>
            {
                var report = await health.CheckHealthAsync(context.RequestAborted);
                var ready = report.Status != HealthStatus.Unhealthy;
                var checks = report.Entries.ToDictionary(
                    e => e.Key,
                    e => new ReadyCheck(
                        e.Value.Status.ToString().ToLowerInvariant(),
                        e.Value.Description,
                        Math.Round(e.Value.Duration.TotalMilliseconds, 1)));
                context.Response.Headers.CacheControl = "no-store";
                return TypedResults.Json(new ReadyResponse(ready ? "ready" : "not_ready", checks),
                    statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
            })
            .WithTags("Service")
            .WithSummary("Readiness: every health check (database, migrations, accepting requests, ...); 503 when one is unhealthy.")
            .AllowAnonymous()
            .Produces<ReadyResponse>()
            .Produces<ReadyResponse>(StatusCodes.Status503ServiceUnavailable)
            .DisableRateLimiting();

        endpoints.MapHealthChecks(HealthChecksApiPath, new HealthCheckOptions
            {
                ResponseWriter = UIResponseWriter.WriteHealthCheckUIResponse,
                AllowCachingResponses = false,
            })
            .AllowAnonymous();
        return endpoints;
    }
}

public sealed record LivenessResponse(string Status);

public sealed record ReadyResponse(string Status, IReadOnlyDictionary<string, ReadyCheck> Checks);

public sealed record ReadyCheck(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    double DurationMs);
