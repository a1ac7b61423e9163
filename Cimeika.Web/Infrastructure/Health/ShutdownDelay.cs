using Cimeika.Web.Infrastructure.Configuration;

namespace Cimeika.Web.Infrastructure.Health;

/// <summary>
/// Graceful shutdown: <c>/ready</c> turns 503 at once, then the server keeps accepting requests for
/// SHUTDOWN_DELAY_SECONDS so a load balancer notices and drains; only then does Kestrel stop
/// accepting and let in-flight requests finish. The host calls <see cref="StoppingAsync"/> before it
/// stops any hosted service, the web server included.
/// </summary>
public sealed class ShutdownDelay(ShutdownState shutdown, AppSettings settings, ILogger<ShutdownDelay> logger)
    : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        shutdown.Begin();
        var delay = settings.Monitoring.ShutdownDelay;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }
        logger.LogInformation("Shutting down: /ready answers 503; the server stops accepting requests in {DelaySeconds} s",
            delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out first: stop now.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
