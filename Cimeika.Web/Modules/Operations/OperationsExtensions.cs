using System.Diagnostics.Metrics;
using Cimeika.Web.Infrastructure.Observability;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cimeika.Web.Modules.Operations;

public static class OperationsExtensions
{
    /// <summary>The operator dashboard: collector, history, webhooks, and one health gauge per check in /metrics.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddHttpClient(HealthEndpointReader.HttpClientName);
        services.AddHttpClient(HealthWebhooks.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<HealthEndpointReader>();
        services.AddSingleton<HealthHistoryStore>();
        services.AddSingleton<HealthWebhooks>();
        services.AddSingleton<HealthCollector>();
        services.AddHostedService(s => s.GetRequiredService<HealthCollector>());
        services.AddHostedService<HealthGauges>();
        return services;
    }
}

/// <summary>
/// <c>cimeika_health_check_status{endpoint,check}</c>: 2 healthy, 1 degraded, 0 unhealthy, as of the
/// collector's latest poll; the check "" is the endpoint as a whole.
/// </summary>
public sealed class HealthGauges(CimeikaMetrics metrics, HealthCollector collector) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.Meter.CreateObservableGauge("cimeika.health.check.status", Measure, unit: null,
            description: "Health of each polled endpoint and check: 2 healthy, 1 degraded, 0 unhealthy (check=\"\" is the endpoint)");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private IEnumerable<Measurement<int>> Measure()
    {
        foreach (var name in collector.EndpointNames)
        {
            if (collector.StateOf(name) is not { } state)
            {
                continue;
            }
            yield return Point(name, "", state.Report.Status);
            foreach (var check in state.Report.Checks)
            {
                yield return Point(name, check.Name, check.Status);
            }
        }
    }

    private static Measurement<int> Point(string endpoint, string check, HealthStatus status) =>
        new((int)status, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("check", check));
}
