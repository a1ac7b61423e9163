using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cimeika.Web.Modules.Operations;

/// <summary>One poll of one health endpoint: its checks, or why it could not be read.</summary>
public sealed record EndpointReport
{
    public required string Endpoint { get; init; }
    public required HealthStatus Status { get; init; }
    public required DateTimeOffset CheckedAt { get; init; }
    public required TimeSpan Duration { get; init; }
    public IReadOnlyList<CheckReport> Checks { get; init; } = [];

    /// <summary>Set when the endpoint could not be read (refused, timed out, not the expected JSON).</summary>
    public string? Error { get; init; }
}

public sealed record CheckReport
{
    public required string Name { get; init; }
    public required HealthStatus Status { get; init; }
    public string? Description { get; init; }
    public TimeSpan Duration { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>A row of the status-change history; <see cref="Check"/> is empty for the endpoint as a whole.</summary>
public sealed record StatusChange
{
    public required string Endpoint { get; init; }
    public required string Check { get; init; }
    public required HealthStatus Status { get; init; }
    public string? Description { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}

public static class HealthStatusText
{
    public static string ToDb(this HealthStatus status) => status.ToString().ToLowerInvariant();

    public static HealthStatus FromText(string? text) =>
        Enum.TryParse<HealthStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status) ? status : HealthStatus.Unhealthy;

    /// <summary>Unhealthy first, then degraded, then healthy.</summary>
    public static int Severity(this HealthStatus status) => status switch
    {
        HealthStatus.Unhealthy => 0,
        HealthStatus.Degraded => 1,
        _ => 2,
    };
}
