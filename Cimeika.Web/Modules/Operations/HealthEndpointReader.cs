using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Cimeika.Web.Infrastructure.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cimeika.Web.Modules.Operations;

/// <summary>
/// Reads one health endpoint. The app's own checks are run in process: the same report its
/// <c>/healthchecks-api</c> serves, without depending on the address the server listens on. Other
/// endpoints are fetched over HTTP in the HealthChecks UI client format.
/// </summary>
public sealed class HealthEndpointReader(
    HealthCheckService health,
    IHttpClientFactory httpClients,
    AppSettings settings,
    TimeProvider time)
{
    public const string SelfName = SettingsReader.SelfEndpointName;
    public const string HttpClientName = "health-endpoints";

    public async Task<EndpointReport> ReadSelfAsync(CancellationToken cancellationToken)
    {
        var checkedAt = time.GetUtcNow();
        var report = await health.CheckHealthAsync(cancellationToken);
        return new EndpointReport
        {
            Endpoint = SelfName,
            Status = report.Status,
            CheckedAt = checkedAt,
            Duration = report.TotalDuration,
            Checks = report.Entries.Select(e => new CheckReport
            {
                Name = e.Key,
                Status = e.Value.Status,
                Description = e.Value.Description ?? e.Value.Exception?.Message,
                Duration = e.Value.Duration,
                Tags = e.Value.Tags.ToList(),
            }).ToList(),
        };
    }

    public async Task<EndpointReport> ReadAsync(string name, Uri uri, CancellationToken cancellationToken)
    {
        var checkedAt = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.Monitoring.HealthTimeout);
        EndpointReport Failed(string error) => new()
        {
            Endpoint = name, Status = HealthStatus.Unhealthy, CheckedAt = checkedAt, Duration = stopwatch.Elapsed, Error = error,
        };
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).GetAsync(uri, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            // A 503 still carries the report; only a body that is not one makes the endpoint unreadable.
            return Parse(name, checkedAt, stopwatch.Elapsed, body)
                   ?? Failed($"HTTP {(int)response.StatusCode}: not a health report");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed($"no answer within {settings.Monitoring.HealthTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            return Failed(e.Message);
        }
    }

    /// <summary>The HealthChecks UI client JSON (UIResponseWriter), or null when the body is not one.</summary>
    public static EndpointReport? Parse(string name, DateTimeOffset checkedAt, TimeSpan elapsed, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
            {
                return null;
            }
            var checks = new List<CheckReport>();
            if (root.TryGetProperty("entries", out var entries) && entries.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in entries.EnumerateObject())
                {
                    checks.Add(new CheckReport
                    {
                        Name = entry.Name,
                        Status = HealthStatusText.FromText(String(entry.Value, "status")),
                        Description = String(entry.Value, "description") ?? String(entry.Value, "exception"),
                        Duration = Duration(String(entry.Value, "duration")) ?? TimeSpan.Zero,
                        Tags = entry.Value.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
                            ? tags.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!).ToList()
                            : [],
                    });
                }
            }
            return new EndpointReport
            {
                Endpoint = name,
                Status = HealthStatusText.FromText(status.GetString()),
                CheckedAt = checkedAt,
                Duration = Duration(String(root, "totalDuration")) ?? elapsed,
                Checks = checks,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static TimeSpan? Duration(string? text) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var duration) ? duration : null;
}
