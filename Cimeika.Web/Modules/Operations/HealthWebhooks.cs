using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Cimeika.Web.Infrastructure.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cimeika.Web.Modules.Operations;

/// <summary>
/// Failure and recovery webhooks (HEALTHCHECKS_WEBHOOKS), HealthChecks UI style: while an endpoint is
/// degraded or unhealthy a failure payload goes out at most once per minimum interval; when it is
/// healthy again after a failure was told, one recovery payload. Templates may use [[LIVENESS]]
/// (endpoint), [[STATUS]] (Degraded or Unhealthy), [[FAILURE]] (the failing checks and their
/// status) and [[DESCRIPTIONS]] (their descriptions); values are JSON-escaped.
/// </summary>
public sealed class HealthWebhooks(
    AppSettings settings,
    IHttpClientFactory httpClients,
    TimeProvider time,
    ILogger<HealthWebhooks> logger)
{
    public const string HttpClientName = "health-webhooks";

    public const string DefaultFailurePayload =
        """{"text":"[[LIVENESS]] is [[STATUS]]: [[FAILURE]]","liveness":"[[LIVENESS]]","status":"[[STATUS]]","failure":"[[FAILURE]]","descriptions":"[[DESCRIPTIONS]]"}""";

    public const string DefaultRecoveryPayload =
        """{"text":"[[LIVENESS]] is healthy again","liveness":"[[LIVENESS]]","status":"Healthy"}""";

    private readonly Dictionary<string, Notified> _notified = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public async Task ObserveAsync(EndpointReport report, CancellationToken cancellationToken)
    {
        if (settings.Monitoring.Webhooks.Count == 0)
        {
            return;
        }
        string? payload = null;
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var notified = _notified.GetValueOrDefault(report.Endpoint) ?? new Notified(null, false);
            if (report.Status != HealthStatus.Healthy)
            {
                if (notified.LastFailureAt is not { } last || now - last >= settings.Monitoring.MinimumTimeBetweenFailureNotifications)
                {
                    payload = Fill(settings.Monitoring.WebhookFailurePayload ?? DefaultFailurePayload, report);
                    _notified[report.Endpoint] = new Notified(now, true);
                }
            }
            else if (notified.FailureOutstanding)
            {
                payload = Fill(settings.Monitoring.WebhookRecoveryPayload ?? DefaultRecoveryPayload, report);
                _notified[report.Endpoint] = notified with { FailureOutstanding = false };
            }
        }
        if (payload is not null)
        {
            await Task.WhenAll(settings.Monitoring.Webhooks.Select(w => SendAsync(w, payload, cancellationToken)));
        }
    }

    public static string Fill(string template, EndpointReport report)
    {
        var failing = report.Checks.Where(c => c.Status != HealthStatus.Healthy)
            .OrderBy(c => c.Status.Severity()).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        var failure = report.Error is not null
            ? $"endpoint unreachable ({report.Error})"
            : string.Join(", ", failing.Select(c => $"{c.Name} ({c.Status})"));
        var descriptions = string.Join("; ", failing.Select(c => $"{c.Name}: {c.Description}"));
        return template
            .Replace("[[LIVENESS]]", Json(report.Endpoint), StringComparison.Ordinal)
            .Replace("[[STATUS]]", Json(report.Status.ToString()), StringComparison.Ordinal)
            .Replace("[[FAILURE]]", Json(failure), StringComparison.Ordinal)
            .Replace("[[DESCRIPTIONS]]", Json(report.Error ?? descriptions), StringComparison.Ordinal);
    }

    // Templates are JSON: a quote or a newline in a description must not break them.
    private static string Json(string value) => JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();

    private async Task SendAsync(Infrastructure.Configuration.NamedUri webhook, string payload, CancellationToken cancellationToken)
    {
        try
        {
            using var content = new StringContent(payload, Encoding.UTF8, "application/json");
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(webhook.Uri, content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Health webhook {Webhook} answered HTTP {StatusCode}", webhook.Name, (int)response.StatusCode);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // The URL itself often is the secret (Slack, Teams): only the webhook's name is logged.
            logger.LogWarning("Health webhook {Webhook} could not be sent: {Reason}", webhook.Name, e.Message);
        }
    }

    private sealed record Notified(DateTimeOffset? LastFailureAt, bool FailureOutstanding);
}
