using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cimeika.Web.Modules.Operations;

/// <summary>A stretch of time in one status; a null status means nothing was recorded yet.</summary>
public sealed record TimelineSegment(DateTimeOffset From, DateTimeOffset To, HealthStatus? Status);

/// <summary>
/// Uptime and timelines from a status-change history: each status holds from its change until the
/// next one. Healthy and degraded count as up, unhealthy as down; time before the first recorded
/// change is unknown and counts neither way.
/// </summary>
public static class Uptime
{
    public static readonly IReadOnlyList<(string Key, TimeSpan Length)> Windows =
    [
        ("24h", TimeSpan.FromHours(24)),
        ("7d", TimeSpan.FromDays(7)),
        ("30d", TimeSpan.FromDays(30)),
    ];

    /// <param name="changes">One key's changes, oldest first (the last one before <paramref name="from"/> included).</param>
    /// <returns>Percentage of the known time that was up, or null when nothing is known of the window.</returns>
    public static double? Percentage(IReadOnlyList<StatusChange> changes, DateTimeOffset from, DateTimeOffset to)
    {
        double up = 0, known = 0;
        foreach (var segment in Segments(changes, from, to).Where(s => s.Status is not null))
        {
            var seconds = (segment.To - segment.From).TotalSeconds;
            known += seconds;
            if (segment.Status != HealthStatus.Unhealthy)
            {
                up += seconds;
            }
        }
        return known > 0 ? 100 * up / known : null;
    }

    /// <summary>The window cut into stretches of one status each, from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static IReadOnlyList<TimelineSegment> Segments(IReadOnlyList<StatusChange> changes, DateTimeOffset from, DateTimeOffset to)
    {
        var segments = new List<TimelineSegment>();
        var first = changes.Count > 0 ? changes[0].ChangedAt : to;
        if (first > from)
        {
            segments.Add(new TimelineSegment(from, first < to ? first : to, null));
        }
        for (var i = 0; i < changes.Count; i++)
        {
            var start = changes[i].ChangedAt > from ? changes[i].ChangedAt : from;
            var end = i + 1 < changes.Count && changes[i + 1].ChangedAt < to ? changes[i + 1].ChangedAt : to;
            if (end <= start)
            {
                continue;
            }
            if (segments.Count > 0 && segments[^1].Status == changes[i].Status && segments[^1].To == start)
            {
                segments[^1] = segments[^1] with { To = end };
            }
            else
            {
                segments.Add(new TimelineSegment(start, end, changes[i].Status));
            }
        }
        return segments;
    }
}
