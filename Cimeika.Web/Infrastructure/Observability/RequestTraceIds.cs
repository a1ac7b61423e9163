using System.Diagnostics;

namespace Cimeika.Web.Infrastructure.Observability;

/// <summary>
/// ASP.NET Core creates a request Activity only when someone listens (its hosting log category, off
/// here, would count). Without one, requests and their log events would have no trace id. Sampling
/// "propagation data" gives trace and span ids and records nothing.
/// </summary>
public sealed class RequestTraceIds : IHostedService, IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
    };

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ActivitySource.AddActivityListener(_listener);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();
}
