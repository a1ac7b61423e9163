using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cimeika.Web.Infrastructure.Health;

public static class HealthExtensions
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddSingleton<ShutdownState>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<ShutdownHealthCheck>("accepting_requests", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/health</c> (liveness: never touches the database) and <c>/ready</c> (readiness).</summary>
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
                var report = await health.CheckHealthAsync(r => r.Tags.Contains(ReadyTag), context.RequestAborted);
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
            .WithSummary("Readiness: the database answers and every migration is applied.")
            .AllowAnonymous()
            .Produces<ReadyResponse>()
            .Produces<ReadyResponse>(StatusCodes.Status503ServiceUnavailable)
            .DisableRateLimiting();
        return endpoints;
    }
}

public sealed record LivenessResponse(string Status);

public sealed record ReadyResponse(string Status, IReadOnlyDictionary<string, ReadyCheck> Checks);

public sealed record ReadyCheck(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    double DurationMs);
