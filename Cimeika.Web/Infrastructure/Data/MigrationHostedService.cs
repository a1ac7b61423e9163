using Npgsql;

namespace Cimeika.Web.Infrastructure.Data;

/// <summary>What the last migration attempt found; read by the readiness check.</summary>
public sealed class MigrationState
{
    private volatile string? _lastError = "migrations have not run yet";

    public bool Completed => _lastError is null;
    public string? LastError => _lastError;

    public void Succeeded() => _lastError = null;
    public void Failed(string reason) => _lastError = reason;
}

/// <summary>
/// Applies migrations at start-up. A database that cannot be reached does not stop the app: it
/// keeps serving <c>/health</c> (and a 503 <c>/ready</c>) while this retries with backoff. A
/// migration file that PostgreSQL rejects stops start-up with the file name and the reason.
/// </summary>
public sealed class MigrationHostedService(
    Migrator migrator,
    MigrationState state,
    IHostApplicationLifetime lifetime,
    ILogger<MigrationHostedService> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _retryLoop;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await TryApplyAsync(cancellationToken))
        {
            return;
        }
        _retryLoop = RetryAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Nothing to stop, or already stopped (a test factory may stop the host a second time).
        if (_retryLoop is null || _stopping.IsCancellationRequested)
        {
            return;
        }
        await _stopping.CancelAsync();
        await Task.WhenAny(_retryLoop, Task.Delay(Timeout.Infinite, cancellationToken));
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RetryAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, cancellationToken);
                if (await TryApplyAsync(cancellationToken))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (MigrationFailedException)
            {
                // Logged in TryApplyAsync; a schema we cannot apply must not serve requests.
                Environment.ExitCode = 70;
                lifetime.StopApplication();
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    /// <returns>true when the schema is up to date; false when the database could not be reached.</returns>
    private async Task<bool> TryApplyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var applied = await migrator.ApplyAsync(cancellationToken);
            state.Succeeded();
            logger.LogInformation("Database schema is up to date ({Applied} migration(s) applied now)", applied.Count);
            return true;
        }
        catch (MigrationFailedException e)
        {
            state.Failed(e.Message);
            logger.LogCritical("{Reason}. Start-up stopped; fix the file and start again", e.Message);
            throw;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            var reason = $"database unreachable: {e.Message}";
            state.Failed(reason);
            logger.LogWarning("Database unreachable at start-up ({Reason}); retrying in the background", e.Message);
            return false;
        }
    }
}
