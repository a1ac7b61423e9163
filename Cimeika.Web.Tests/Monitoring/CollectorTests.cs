using System.Net;
using System.Text.Json.Nodes;
using Cimeika.Web.Modules.Operations;
using Cimeika.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Monitoring;

/// <summary>
/// The operator dashboard's collector and page, with a fake health endpoint the test switches
/// between healthy and unhealthy, an unreachable one, and fake webhook receivers. The collector's
/// own schedule is an hour: the tests poll by hand.
/// </summary>
[NonParallelizable]
public sealed class CollectorTests
{
    private const string Healthy = """
        {"status":"Healthy","totalDuration":"00:00:00.0100000","entries":{"queue":{"data":{},"description":"Queue drains","duration":"00:00:00.0050000","status":"Healthy","tags":["messaging"]}}}
        """;

    private const string Unhealthy = """
        {"status":"Unhealthy","totalDuration":"00:00:00.0200000","entries":{"queue":{"data":{},"description":"Queue \"jobs\" is stuck\nfor 5 min","duration":"00:00:00.0150000","status":"Unhealthy","tags":["messaging"]}}}
        """;

    private FakeHttpServer _target = null!;
    private FakeHttpServer _hooks = null!;
    private CimeikaFactory _factory = null!;
    private volatile bool _targetUp = true;

    private HealthCollector Collector => _factory.Services.GetRequiredService<HealthCollector>();

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _target = await FakeHttpServer.StartAsync();
        _target.Respond = _ => _targetUp ? new FakeResponse(200, Healthy) : new FakeResponse(503, Unhealthy);
        _hooks = await FakeHttpServer.StartAsync();
        _factory = new CimeikaFactory(await TestDatabase.CreateAsync("cimeika_collector"), settings: new Dictionary<string, string?>
        {
            ["HEALTHCHECKS_ENDPOINTS"] = $"worker={_target.Url}/healthchecks-api;gone=http://127.0.0.1:1/healthchecks-api",
            ["HEALTHCHECKS_WEBHOOKS"] = $"team={_hooks.Url}/hook",
            ["HEALTHCHECKS_INTERVAL_SECONDS"] = "3600",
            ["HEALTHCHECKS_NOTIFY_MIN_INTERVAL_SECONDS"] = "600",
            ["HEALTHCHECKS_RETENTION_DAYS"] = "2",
        });
        _ = _factory.Server;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _factory.DisposeAsync();
        await TestDatabase.DropAsync(_factory.Database);
        await _hooks.DisposeAsync();
        await _target.DisposeAsync();
    }

    [SetUp]
    public async Task ResetAsync()
    {
        _targetUp = true;
        await Collector.CollectAsync(CancellationToken.None);
        await TestDatabase.ExecuteAsync(_factory.Database, "truncate health_status_changes");
        await Collector.CollectAsync(CancellationToken.None);
    }

    [Test]
    public async Task Going_down_and_back_is_recorded_and_fires_the_failure_webhook_once_then_the_recovery_webhook_once()
    {
        // Its own app: webhook timing must not depend on what other tests made fail.
        await using var hooks = await FakeHttpServer.StartAsync();
        var factory = new CimeikaFactory(await TestDatabase.CreateAsync("cimeika_webhooks"), settings: new Dictionary<string, string?>
        {
            ["HEALTHCHECKS_ENDPOINTS"] = $"worker={_target.Url}/healthchecks-api",
            ["HEALTHCHECKS_WEBHOOKS"] = $"team={hooks.Url}/hook",
            ["HEALTHCHECKS_INTERVAL_SECONDS"] = "3600",
            ["HEALTHCHECKS_NOTIFY_MIN_INTERVAL_SECONDS"] = "600",
        });
        try
        {
            var collector = factory.Services.GetRequiredService<HealthCollector>();
            await collector.CollectAsync(CancellationToken.None);

            _targetUp = false;
            for (var i = 0; i < 3; i++) await collector.CollectAsync(CancellationToken.None);
            var down = collector.StateOf("worker")!.Report;
            _targetUp = true;
            for (var i = 0; i < 2; i++) await collector.CollectAsync(CancellationToken.None);
            var sent = await hooks.WaitForAsync(r => r.Count >= 2);
            await Task.Delay(300);

            Assert.That(down.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(down.Checks.Single().Description, Is.EqualTo("Queue \"jobs\" is stuck\nfor 5 min"));
            Assert.That(await HistoryAsync(factory.Database, "worker"), Is.EqualTo(new[]
            {
                ("", "healthy"), ("queue", "healthy"), ("", "unhealthy"), ("queue", "unhealthy"), ("", "healthy"), ("queue", "healthy"),
            }));
            Assert.That(hooks.Requests, Has.Count.EqualTo(2), "one failure within the minimum interval, one recovery");
            var failure = JsonNode.Parse(sent[0].Body)!;
            var recovery = JsonNode.Parse(sent[1].Body)!;
            Assert.That(sent[0].Path, Is.EqualTo("/hook"));
            Assert.That(sent[0].Headers["Content-Type"], Does.StartWith("application/json"));
            Assert.That((string?)failure["liveness"], Is.EqualTo("worker"));
            Assert.That((string?)failure["status"], Is.EqualTo("Unhealthy"));
            Assert.That((string?)failure["failure"], Is.EqualTo("queue (Unhealthy)"));
            Assert.That((string?)failure["descriptions"], Is.EqualTo("queue: Queue \"jobs\" is stuck\nfor 5 min"));
            Assert.That((string?)recovery["liveness"], Is.EqualTo("worker"));
            Assert.That((string?)recovery["status"], Is.EqualTo("Healthy"));
        }
        finally
        {
            await factory.DisposeAsync();
            await TestDatabase.DropAsync(factory.Database);
        }
    }

    [Test]
    public async Task An_endpoint_that_cannot_be_read_is_unhealthy_with_the_reason()
    {
        var gone = Collector.StateOf("gone")!.Report;

        Assert.That(gone.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(gone.Error, Does.Contain("refused").IgnoreCase);
        Assert.That(await HistoryAsync("gone"), Is.EqualTo(new[] { ("", "unhealthy") }));
    }

    [Test]
    public async Task Retention_purges_history_older_than_the_retention_period()
    {
        await TestDatabase.ExecuteAsync(_factory.Database, """
            insert into health_status_changes (endpoint, check_name, status, changed_at) values
                ('old', '', 'unhealthy', now() - interval '3 days'),
                ('old', '', 'healthy', now() - interval '47 hours')
            """);

        await Collector.PurgeExpiredAsync(CancellationToken.None);

        Assert.That(await HistoryAsync("old"), Is.EqualTo(new[] { ("", "healthy") }));
        Assert.That(await HistoryAsync("worker"), Is.Not.Empty, "recent history stays");
    }

    [Test]
    public async Task Dashboard_shows_every_endpoint_and_check_unhealthy_first_with_uptime_and_timelines()
    {
        _targetUp = false;
        await Collector.CollectAsync(CancellationToken.None);
        using var client = await _factory.CreateSignedInClientAsync();

        var response = await client.GetAsync("/healthchecks-ui");
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Vary, Does.Contain("HX-Request"));
        Assert.That(html, Does.Contain("<h1>Стан системи</h1>"));
        Assert.That(html, Does.Contain("data-theme=\"auto\""));
        Assert.That(html, Does.Contain("id=\"health-overall\" class=\"health-banner unhealthy\""));
        var order = System.Text.RegularExpressions.Regex.Matches(html, "data-endpoint=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.That(order, Is.EqualTo(new[] { "worker", "gone", "cimeika" }), "unhealthy first, then in configured order");
        foreach (var check in new[] { "queue", "database", "migrations", "accepting_requests" })
        {
            Assert.That(html, Does.Contain($"data-check=\"{check}\""), check);
        }
        Assert.That(html, Does.Contain("Queue &quot;jobs&quot; is stuck"));
        Assert.That(html, Does.Contain("<li class=\"chip\">messaging</li>"));
        Assert.That(html, Does.Contain("Дані не отримано"));
        Assert.That(html, Does.Contain("<svg class=\"timeline\""));
        Assert.That(html, Does.Contain("class=\"seg unhealthy\""));
        Assert.That(html, Does.Contain("Доступність за 24 години"));
        Assert.That(html, Does.Contain("hx-trigger=\"every 3600s\""));
        Assert.That(html, Does.Not.Contain("<script>"), "no inline script");
    }

    [Test]
    public async Task Htmx_gets_the_live_fragment_and_a_paused_fragment_does_not_poll()
    {
        using var client = await _factory.CreateSignedInClientAsync();

        var live = await (await client.GetHtmxAsync("/healthchecks-ui")).Content.ReadAsStringAsync();
        var paused = await (await client.GetHtmxAsync("/healthchecks-ui?paused=true")).Content.ReadAsStringAsync();

        Assert.That(live.TrimStart(), Does.StartWith("<section id=\"health-live\""));
        Assert.That(live, Does.Not.Contain("<html"));
        Assert.That(live, Does.Contain("hx-trigger=\"every 3600s\""));
        Assert.That(paused, Does.Not.Contain("hx-trigger"));
        Assert.That(paused, Does.Contain("Продовжити"));
    }

    [Test]
    public async Task Check_now_without_javascript_polls_every_endpoint_and_returns_to_the_page()
    {
        using var client = await _factory.CreateSignedInClientAsync();
        var token = await client.AntiforgeryTokenAsync("/healthchecks-ui");
        var before = Collector.StateOf("worker")!.Report.CheckedAt;
        _targetUp = false;

        var response = await client.PostFormAsync("/healthchecks-ui?handler=refresh&window=7d", token, []);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/healthchecks-ui?window=7d"));
        Assert.That(Collector.StateOf("worker")!.Report.CheckedAt, Is.GreaterThan(before));
        Assert.That(Collector.StateOf("worker")!.Report.Status, Is.EqualTo(HealthStatus.Unhealthy));
    }

    private Task<List<(string Check, string Status)>> HistoryAsync(string endpoint) => HistoryAsync(_factory.Database, endpoint);

    private static async Task<List<(string Check, string Status)>> HistoryAsync(string database, string endpoint)
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestDatabase.ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "select check_name, status from health_status_changes where endpoint = @endpoint order by changed_at, id", connection);
        command.Parameters.AddWithValue("endpoint", endpoint);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1)));
        return rows;
    }
}

/// <summary>The dashboard when PostgreSQL is down: live state from memory, and a banner saying history is unavailable.</summary>
public sealed class DashboardOutageTests
{
    [Test]
    public async Task Dashboard_keeps_showing_live_state_when_the_database_is_down()
    {
        await using var proxy = new TcpProxy(TestDatabase.Host, TestDatabase.Port) { Accepting = true };
        var database = await TestDatabase.CreateAsync("cimeika_dashdown");
        var factory = new CimeikaFactory(database, settings: new Dictionary<string, string?>
        {
            ["POSTGRES_HOST"] = "127.0.0.1",
            ["POSTGRES_PORT"] = proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["HEALTHCHECKS_INTERVAL_SECONDS"] = "3600",
        });
        try
        {
            using var client = await factory.CreateSignedInClientAsync();
            Assert.That((await client.GetAsync("/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            proxy.Accepting = false;
            factory.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().Clear();
            await factory.Services.GetRequiredService<HealthCollector>().CollectAsync(CancellationToken.None);

            var response = await client.GetAsync("/healthchecks-ui");
            var html = await response.Content.ReadAsStringAsync();

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(html, Does.Contain("Історія недоступна"));
            Assert.That(html, Does.Contain("id=\"health-overall\" class=\"health-banner unhealthy\""));
            Assert.That(html, Does.Contain("<tr class=\"unhealthy\" data-check=\"database\""));
            Assert.That(html, Does.Contain("PostgreSQL unreachable"));
        }
        finally
        {
            await factory.DisposeAsync();
            await TestDatabase.DropAsync(database);
        }
    }
}
