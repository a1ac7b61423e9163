using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cimeika.Web.Modules.Operations;

/// <summary>How the dashboard writes statuses, times and numbers. Times are UTC, as in the logs.</summary>
public static class DashboardText
{
    /// <summary>CSS class and resource suffix: healthy, degraded, unhealthy, or unknown before the first poll.</summary>
    public static string Css(HealthStatus? status) => status?.ToString().ToLowerInvariant() ?? "unknown";

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Milliseconds(TimeSpan duration) => duration.TotalMilliseconds.ToString("0.0", CultureInfo.CurrentCulture) + " ms";

    public static string Percent(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.CurrentCulture) + " %" : "—";

    /// <summary>SVG coordinates are always written with a dot.</summary>
    public static string Svg(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
