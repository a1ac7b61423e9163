using Cimeika.Web.Infrastructure.Configuration;
using Cimeika.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Cimeika.Web.Modules.Operations;

/// <summary>
/// <c>/healthchecks-ui</c>: the operator dashboard. An htmx GET (the live region polling itself, or
/// pause, resume and window links) gets the <c>_Dashboard</c> fragment; "check now" polls every
/// endpoint at once (post/redirect/get without JavaScript).
/// </summary>
public sealed class IndexModel(
    HealthCollector collector,
    HealthHistoryStore history,
    AppSettings settings,
    TimeProvider time) : PageModel
{
    public const string Path = "/healthchecks-ui";
    private const int RecentChangesShown = 30;

    [BindProperty(SupportsGet = true, Name = "window")] public string? Window { get; set; }
    [BindProperty(SupportsGet = true, Name = "paused")] public bool Paused { get; set; }

    public DashboardView View { get; private set; } = null!;
    public int PollSeconds => (int)Math.Max(1, settings.Monitoring.HealthInterval.TotalSeconds);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Request.WantsFragment() ? Partial("_Dashboard", this) : Page();
    }

    public async Task<IActionResult> OnPostRefreshAsync(CancellationToken cancellationToken)
    {
        await collector.CollectAsync(cancellationToken);
        if (!Request.WantsFragment())
        {
            return Redirect(PageUrl(Paused));
        }
        await LoadAsync(cancellationToken);
        return Partial("_Dashboard", this);
    }

    /// <summary>This page (or one of its handlers) with the current window, paused or live.</summary>
    public string PageUrl(bool paused, string? window = null, string? handler = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["handler"] = handler,
            ["window"] = (window ?? View?.WindowKey ?? Window) is { } w && w != Uptime.Windows[0].Key && Uptime.Windows.Any(u => u.Key == w) ? w : null,
            ["paused"] = paused ? "true" : null,
        };
        return QueryHelpers.AddQueryString(Path, query.Where(kv => kv.Value is not null));
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (windowKey, windowLength) = Uptime.Windows.FirstOrDefault(w => w.Key == Window, Uptime.Windows[0]);
        IReadOnlyList<StatusChange>? changes = null;
        try
        {
            changes = await history.ChangesAsync(now - Uptime.Windows[^1].Length, cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The dashboard matters most when the database is down: the live state without history
            // (the collector has logged the outage once).
        }
        View = DashboardView.Build(collector, changes, windowKey, now - windowLength, now, RecentChangesShown);
    }
}

public sealed record DashboardView
{
    public required HealthStatus? Overall { get; init; }
    public required IReadOnlyList<EndpointView> Endpoints { get; init; }
    public required IReadOnlyList<StatusChange> RecentChanges { get; init; }
    public required bool HistoryUnavailable { get; init; }
    public required bool HistoryFailing { get; init; }
    public required string WindowKey { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }

    public static DashboardView Build(HealthCollector collector, IReadOnlyList<StatusChange>? changes,
        string windowKey, DateTimeOffset from, DateTimeOffset to, int recentShown)
    {
        var byKey = (changes ?? [])
            .GroupBy(c => (c.Endpoint, c.Check))
            .ToDictionary(g => g.Key, g => (IReadOnlyList<StatusChange>)g.ToList());
        IReadOnlyList<StatusChange> Of(string endpoint, string check) => byKey.GetValueOrDefault((endpoint, check)) ?? [];

        var endpoints = collector.EndpointNames
            .Select((name, order) => (Order: order, View: EndpointView.Build(name, collector.StateOf(name), Of, changes is not null, from, to)))
            .OrderBy(e => e.View.Status?.Severity() ?? 3)
            .ThenBy(e => e.Order)
            .Select(e => e.View)
            .ToList();
        var known = endpoints.Where(e => e.Status is not null).ToList();
        return new DashboardView
        {
            Overall = known.Count == 0 ? null : known.Min(e => e.Status!.Value),
            Endpoints = endpoints,
            RecentChanges = (changes ?? []).Where(c => c.ChangedAt >= to - Uptime.Windows[^1].Length)
                .OrderByDescending(c => c.ChangedAt).Take(recentShown).ToList(),
            HistoryUnavailable = changes is null,
            HistoryFailing = collector.HistoryFailing,
            WindowKey = windowKey,
            From = from,
            To = to,
        };
    }
}

public sealed record EndpointView
{
    public required string Name { get; init; }
    /// <summary>Null until the first poll.</summary>
    public HealthStatus? Status { get; init; }
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? CheckedAt { get; init; }
    public TimeSpan? Duration { get; init; }
    public string? Error { get; init; }
    public required HistoryView History { get; init; }
    public IReadOnlyList<CheckView> Checks { get; init; } = [];

    public static EndpointView Build(string name, EndpointState? state, Func<string, string, IReadOnlyList<StatusChange>> changesOf,
        bool historyKnown, DateTimeOffset from, DateTimeOffset to)
    {
        var history = HistoryView.Build(changesOf(name, ""), historyKnown, from, to);
        if (state is null)
        {
            return new EndpointView { Name = name, History = history };
        }
        return new EndpointView
        {
            Name = name,
            Status = state.Report.Status,
            Since = state.Since.TryGetValue("", out var since) ? since : null,
            CheckedAt = state.Report.CheckedAt,
            Duration = state.Report.Duration,
            Error = state.Report.Error,
            History = history,
            Checks = state.Report.Checks
                .OrderBy(c => c.Status.Severity()).ThenBy(c => c.Name, StringComparer.Ordinal)
                .Select(c => new CheckView
                {
                    Report = c,
                    Since = state.Since.TryGetValue(c.Name, out var checkSince) ? checkSince : null,
                    History = HistoryView.Build(changesOf(name, c.Name), historyKnown, from, to),
                })
                .ToList(),
        };
    }
}

public sealed record CheckView
{
    public required CheckReport Report { get; init; }
    public DateTimeOffset? Since { get; init; }
    public required HistoryView History { get; init; }
}

/// <summary>Uptime per window (24h, 7d, 30d) and the timeline of the chosen window, of one endpoint or check.</summary>
public sealed record HistoryView
{
    public required bool Known { get; init; }
    public required IReadOnlyList<(string Key, double? Percentage)> Uptime { get; init; }
    public required IReadOnlyList<TimelineSegment> Timeline { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }

    public static HistoryView Build(IReadOnlyList<StatusChange> changes, bool known, DateTimeOffset from, DateTimeOffset to) => new()
    {
        Known = known,
        Uptime = Operations.Uptime.Windows.Select(w => (w.Key, Operations.Uptime.Percentage(changes, to - w.Length, to))).ToList(),
        Timeline = Operations.Uptime.Segments(changes, from, to),
        From = from,
        To = to,
    };
}
