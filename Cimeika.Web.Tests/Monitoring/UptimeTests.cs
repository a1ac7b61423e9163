using System.Text.Json.Nodes;
using Cimeika.Web.Infrastructure.Configuration;
using Cimeika.Web.Modules.Operations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Monitoring;

/// <summary>Uptime and timeline arithmetic on known histories.</summary>
public sealed class UptimeTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddHours(24);

    private static StatusChange At(double hours, HealthStatus status) =>
        new() { Endpoint = "e", Check = "", Status = status, ChangedAt = Start.AddHours(hours) };

    [Test]
    public void Three_hours_down_in_a_day_is_87_5_percent()
    {
        var history = new[] { At(0, HealthStatus.Healthy), At(6, HealthStatus.Unhealthy), At(9, HealthStatus.Healthy) };

        Assert.That(Uptime.Percentage(history, Start, End), Is.EqualTo(87.5).Within(1e-9));
    }

    [Test]
    public void Degraded_counts_as_up()
    {
        var history = new[] { At(0, HealthStatus.Healthy), At(12, HealthStatus.Degraded) };

        Assert.That(Uptime.Percentage(history, Start, End), Is.EqualTo(100));
    }

    [Test]
    public void The_status_before_the_window_opens_it()
    {
        var history = new[] { At(-2, HealthStatus.Unhealthy), At(6, HealthStatus.Healthy) };

        Assert.That(Uptime.Percentage(history, Start, End), Is.EqualTo(75).Within(1e-9));
    }

    [Test]
    public void Time_before_the_first_record_is_unknown_and_counts_neither_way()
    {
        var history = new[] { At(12, HealthStatus.Healthy), At(18, HealthStatus.Unhealthy) };

        Assert.That(Uptime.Percentage(history, Start, End), Is.EqualTo(50).Within(1e-9));
    }

    [Test]
    public void No_history_gives_no_percentage() =>
        Assert.That(Uptime.Percentage([], Start, End), Is.Null);

    [Test]
    public void Timeline_starts_unknown_merges_repeats_and_ends_at_the_window()
    {
        var history = new[]
        {
            At(6, HealthStatus.Healthy), At(8, HealthStatus.Healthy), At(10, HealthStatus.Unhealthy), At(30, HealthStatus.Healthy),
        };

        var segments = Uptime.Segments(history, Start, End);

        Assert.That(segments.Select(s => (s.From, s.To, s.Status)), Is.EqualTo(new (DateTimeOffset, DateTimeOffset, HealthStatus?)[]
        {
            (Start, Start.AddHours(6), null),
            (Start.AddHours(6), Start.AddHours(10), HealthStatus.Healthy),
            (Start.AddHours(10), End, HealthStatus.Unhealthy),
        }));
    }
}

/// <summary>Webhook payload templates: the placeholders, JSON escaping, degraded told apart from unhealthy.</summary>
public sealed class WebhookPayloadTests
{
    private static EndpointReport Report(HealthStatus status, params (string Name, HealthStatus Status, string Description)[] checks) => new()
    {
        Endpoint = "api \"eu\"",
        Status = status,
        CheckedAt = DateTimeOffset.UtcNow,
        Duration = TimeSpan.FromMilliseconds(5),
        Checks = checks.Select(c => new CheckReport { Name = c.Name, Status = c.Status, Description = c.Description }).ToList(),
    };

    [Test]
    public void Failure_payload_names_the_endpoint_status_failing_checks_and_descriptions_as_valid_json()
    {
        var report = Report(HealthStatus.Unhealthy,
            ("cache", HealthStatus.Degraded, "slow"), ("db", HealthStatus.Unhealthy, "refused \"x\"\n"), ("disk", HealthStatus.Healthy, "ok"));

        var payload = JsonNode.Parse(HealthWebhooks.Fill(HealthWebhooks.DefaultFailurePayload, report))!;

        Assert.That((string?)payload["liveness"], Is.EqualTo("api \"eu\""));
        Assert.That((string?)payload["status"], Is.EqualTo("Unhealthy"));
        Assert.That((string?)payload["failure"], Is.EqualTo("db (Unhealthy), cache (Degraded)"));
        Assert.That((string?)payload["descriptions"], Is.EqualTo("db: refused \"x\"\n; cache: slow"));
    }

    [Test]
    public void Degraded_endpoint_is_reported_as_degraded()
    {
        var payload = JsonNode.Parse(HealthWebhooks.Fill("""{"s":"[[STATUS]]","f":"[[FAILURE]]"}""",
            Report(HealthStatus.Degraded, ("cache", HealthStatus.Degraded, "slow"))))!;

        Assert.That((string?)payload["s"], Is.EqualTo("Degraded"));
        Assert.That((string?)payload["f"], Is.EqualTo("cache (Degraded)"));
    }

    [Test]
    public void Unreadable_endpoint_says_so()
    {
        var report = Report(HealthStatus.Unhealthy) with { Error = "Connection refused" };

        var payload = JsonNode.Parse(HealthWebhooks.Fill(HealthWebhooks.DefaultFailurePayload, report))!;

        Assert.That((string?)payload["failure"], Is.EqualTo("endpoint unreachable (Connection refused)"));
    }
}

public sealed class MonitoringSettingsTests
{
    private static (AppSettings App, IReadOnlyList<string> Problems) Read(string environment, params (string, string)[] values)
    {
        // Production also demands strong secrets; these tests are about the monitoring settings.
        var settings = new Dictionary<string, string?>
        {
            ["SECRET_KEY"] = ProductionSettings.SecretKey,
            ["POSTGRES_PASSWORD"] = ProductionSettings.StrongPassword,
        };
        foreach (var (key, value) in values) settings[key] = value;
        var (app, _, problems) = SettingsReader.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), environment);
        return (app, problems);
    }

    [Test]
    public void Defaults_poll_every_10_s_keep_30_days_and_delay_shutdown_in_production_only()
    {
        var (production, _) = Read("Production");
        var (development, _) = Read("Development");

        Assert.That(production.Monitoring.HealthInterval, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(production.Monitoring.HealthRetention, Is.EqualTo(TimeSpan.FromDays(30)));
        Assert.That(production.Monitoring.MinimumTimeBetweenFailureNotifications, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(production.Monitoring.ShutdownDelay, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(development.Monitoring.ShutdownDelay, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void Endpoints_webhooks_and_networks_are_read()
    {
        var (app, problems) = Read("Production",
            ("HEALTHCHECKS_ENDPOINTS", "api=http://10.0.0.5/healthchecks-api; worker = https://w.example/health"),
            ("HEALTHCHECKS_WEBHOOKS", "slack=https://hooks.example/T1"),
            ("METRICS_ALLOWED_NETWORKS", "10.0.0.0/8, fd00::/8"),
            ("SHUTDOWN_DELAY_SECONDS", "0"));

        Assert.That(problems, Is.Empty);
        Assert.That(app.Monitoring.HealthEndpoints.Select(e => (e.Name, e.Uri.ToString())),
            Is.EqualTo(new[] { ("api", "http://10.0.0.5/healthchecks-api"), ("worker", "https://w.example/health") }));
        Assert.That(app.Monitoring.Webhooks.Single().Name, Is.EqualTo("slack"));
        Assert.That(app.Monitoring.MetricsAllowedNetworks.Select(n => n.ToString()), Is.EqualTo(new[] { "10.0.0.0/8", "fd00::/8" }));
        Assert.That(app.Monitoring.ShutdownDelay, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void Invalid_values_are_reported_without_echoing_them()
    {
        var (_, problems) = Read("Production",
            ("HEALTHCHECKS_ENDPOINTS", "api=ftp://secret-host/x"),
            ("HEALTHCHECKS_WEBHOOKS", "no-url"),
            ("METRICS_ALLOWED_NETWORKS", "everyone"),
            ("HEALTHCHECKS_INTERVAL_SECONDS", "0"));
        var (_, reserved) = Read("Production", ("HEALTHCHECKS_ENDPOINTS", "cimeika=http://other.example/health"));

        Assert.That(problems, Has.Count.EqualTo(4));
        Assert.That(reserved.Single(), Does.Contain("'cimeika' is taken"));
        Assert.That(string.Join("\n", problems), Does.Not.Contain("secret-host").And.Not.Contain("everyone"));
    }
}
