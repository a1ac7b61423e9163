using System.Collections.Concurrent;
using Cimeika.Web.Infrastructure.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Cimeika.Web.Modules.Operations;

/// <summary>The latest poll of one endpoint, with since when each status holds ('' is the endpoint itself).</summary>
public sealed record EndpointState(EndpointReport Report, IReadOnlyDictionary<string, DateTimeOffset> Since);

/// <summary>
/// Polls the app's own checks and HEALTHCHECKS_ENDPOINTS every HEALTHCHECKS_INTERVAL_SECONDS, keeps
/// the latest state in memory, records status changes in PostgreSQL, fires webhooks and purges
/// history older than the retention period (hourly).
/// </summary>
public sealed class HealthCollector(
    HealthEndpointReader reader,
    HealthHistoryStore history,
    HealthWebhooks webhooks,
    AppSettings settings,
    TimeProvider time,
    ILogger<HealthCollector> logger) : BackgroundService
{
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, EndpointState> _states = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _polling = new(1, 1);
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;
    private volatile bool _historyFailing;

    /// <summary>The configured endpoints in order, the app itself first.</summary>
    public IReadOnlyList<string> EndpointNames { get; } =
        [HealthEndpointReader.SelfName, .. settings.Monitoring.HealthEndpoints.Select(e => e.Name)];

    public EndpointState? StateOf(string endpoint) => _states.GetValueOrDefault(endpoint);

    /// <summary>True while the last attempt to write the history failed (the database is unreachable).</summary>
    public bool HistoryFailing => _historyFailing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Monitoring.HealthInterval, time);
        do
        {
            try
            {
                await CollectAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // An unexpected failure must not end the polling, let alone stop the app.
                logger.LogError(e, "Health collection failed; trying again at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One poll of every endpoint; also what the dashboard's "check now" runs.</summary>
    public async Task CollectAsync(CancellationToken cancellationToken)
    {
        await _polling.WaitAsync(cancellationToken);
        try
        {
            var reports = await Task.WhenAll(
                settings.Monitoring.HealthEndpoints.Select(e => reader.ReadAsync(e.Name, e.Uri, cancellationToken))
                    .Prepend(reader.ReadSelfAsync(cancellationToken)));
            foreach (var report in reports)
            {
                LogChange(StateOf(report.Endpoint)?.Report, report);
                var since = await RecordAsync(report, cancellationToken);
                _states[report.Endpoint] = new EndpointState(report, since);
                await webhooks.ObserveAsync(report, cancellationToken);
            }
            if (time.GetUtcNow() - _lastPurge >= PurgeEvery && !_historyFailing)
            {
                await PurgeExpiredAsync(cancellationToken);
            }
        }
        finally
        {
            _polling.Release();
        }
    }

    private void LogChange(EndpointReport? previous, EndpointReport report)
    {
        if (previous?.Status == report.Status || previous is null && report.Status == HealthStatus.Healthy)
        {
            return;
        }
        if (report.Status == HealthStatus.Healthy)
        {
            logger.LogInformation("Health endpoint {Endpoint} is healthy again", report.Endpoint);
            return;
        }
        var failing = report.Error ?? string.Join(", ", report.Checks
            .Where(c => c.Status != HealthStatus.Healthy).Select(c => $"{c.Name} ({c.Status}): {c.Description}"));
        logger.LogWarning("Health endpoint {Endpoint} is {Status}: {Failing}", report.Endpoint, report.Status, failing);
    }

    private async Task<IReadOnlyDictionary<string, DateTimeOffset>> RecordAsync(EndpointReport report, CancellationToken cancellationToken)
    {
        try
        {
            var since = await history.RecordAsync(report, cancellationToken);
            if (_historyFailing)
            {
                _historyFailing = false;
                logger.LogInformation("Health history is recorded again");
            }
            return since;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            if (!_historyFailing)
            {
                _historyFailing = true;
                logger.LogWarning("Health history cannot be recorded ({Reason}); the dashboard shows live state only until the database answers", e.Message);
            }
            return SinceInMemory(report);
        }
    }

    // Without the database, a status holds since this process first saw it.
    private Dictionary<string, DateTimeOffset> SinceInMemory(EndpointReport report)
    {
        var previous = StateOf(report.Endpoint);
        DateTimeOffset Since(string check, HealthStatus status, HealthStatus? before) =>
            before == status && previous!.Since.TryGetValue(check, out var since) ? since : report.CheckedAt;
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal)
        {
            [""] = Since("", report.Status, previous?.Report.Status),
        };
        foreach (var check in report.Checks)
        {
            result[check.Name] = Since(check.Name, check.Status, previous?.Report.Checks.FirstOrDefault(c => c.Name == check.Name)?.Status);
        }
        return result;
    }

    /// <summary>Deletes history older than HEALTHCHECKS_RETENTION_DAYS; the poll runs it hourly.</summary>
    public async Task PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            var removed = await history.PurgeAsync(now - settings.Monitoring.HealthRetention, cancellationToken);
            _lastPurge = now;
            if (removed > 0)
            {
                logger.LogInformation("Purged {Removed} health history row(s) older than {RetentionDays} days",
                    removed, settings.Monitoring.HealthRetention.TotalDays);
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Health history purge failed: {Reason}", e.Message);
        }
    }
}
