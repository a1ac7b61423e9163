namespace Cimeika.Web.Infrastructure.Observability;

public static class MetricsExtensions
{
    public static IServiceCollection AddMetricsExport(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<CimeikaMetrics>();
        services.AddSingleton<PrometheusExporter>();
        services.AddSingleton<IMetricsAccess, NetworkMetricsAccess>();
        return services;
    }

    /// <summary><c>/metrics</c> in the Prometheus text format, for whoever an <see cref="IMetricsAccess"/> admits; 404 for the rest.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        // Created now, not at the first scrape, so that counters count from start-up.
        var exporter = endpoints.ServiceProvider.GetRequiredService<PrometheusExporter>();
        endpoints.MapGet("/metrics", async (HttpContext context, IEnumerable<IMetricsAccess> rules) =>
            {
                foreach (var rule in rules)
                {
                    if (await rule.IsAllowedAsync(context))
                    {
                        context.Response.Headers.CacheControl = "no-store";
                        return Results.Text(exporter.Scrape(), "text/plain; version=0.0.4; charset=utf-8");
                    }
                }
                return Results.NotFound();
            })
            // Access is decided by the IMetricsAccess rules above (network, or an operator's token).
            .AllowAnonymous()
            .ExcludeFromDescription();
        return endpoints;
    }
}
