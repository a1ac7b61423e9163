namespace Cimeika.Web.Infrastructure.Security;

/// <summary>Cross-origin access to the JSON API only, and only from the exact origins of CORS_ORIGINS.</summary>
public static class ApiCors
{
    private const string Policy = "api";

    public static IServiceCollection AddApiCors(this IServiceCollection services, IReadOnlyList<string> origins) =>
        services.AddCors(o => o.AddPolicy(Policy, policy => policy
            .WithOrigins([.. origins])
            .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete)
            .WithHeaders("Content-Type", "Authorization")
            .WithExposedHeaders("Location", "Retry-After", RateLimits.MinuteLimitHeader, RateLimits.HourLimitHeader)
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

    /// <summary>After routing; answers preflight requests itself.</summary>
    public static WebApplication UseApiCors(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/api"), api => api.UseCors(Policy));
        return app;
    }
}
