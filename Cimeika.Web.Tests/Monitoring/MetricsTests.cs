using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Cimeika.Web.Infrastructure.Configuration;
using Cimeika.Web.Infrastructure.Observability;
using Cimeika.Web.Modules.Operations;
using Cimeika.Web.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Monitoring;

/// <summary><c>/metrics</c> on the shared app: Prometheus text, every family the issue names, and who may read it.</summary>
public sealed class MetricsTests : AppTest
{
    [Test]
    public async Task Metrics_cover_requests_database_runtime_entries_created_and_health_in_prometheus_text()
    {
        var before = await ScrapeAsync();
        var token = await Client.AntiforgeryTokenAsync("/kazkar");
        await Client.PostFormAsync("/kazkar", token, [new("Form.Title", "Дуб"), new("Form.Content", "Старий дуб")]);
        using (var api = Factory.CreateClient())
        {
            await api.UseOwnerTokenAsync();
            Assert.That((await api.PostJsonAsync("/api/v1/kazkar/stories", new { title = "Верба", content = "Біля ставу" })).StatusCode,
                Is.EqualTo(HttpStatusCode.Created));
        }
        await Factory.Services.GetRequiredService<HealthCollector>().CollectAsync(CancellationToken.None);

        var response = await Client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.ToString(), Does.StartWith("text/plain; version=0.0.4"));
        Assert.That(text, Does.Contain("# TYPE http_server_request_duration_seconds histogram"));
        Assert.That(text, Does.Match("""http_server_request_duration_seconds_bucket\{http_request_method="POST",http_response_status_code="201",http_route="/api/v1/kazkar/stories"[^}]*le="\+Inf"\} [1-9]"""));
        Assert.That(text, Does.Match("""http_server_request_duration_seconds_count\{http_request_method="GET",http_response_status_code="200",http_route="kazkar"[^}]*\} [1-9]"""));
        Assert.That(text, Does.Contain("# TYPE db_client_operation_duration_seconds histogram"));
        Assert.That(text, Does.Contain("""db_client_connection_max{db_client_connection_pool_name="cimeika"} 50"""));
        Assert.That(text, Does.Contain("# TYPE dotnet_gc_collections_total counter"));
        Assert.That(text, Does.Contain("dotnet_thread_pool_thread_count"));
        Assert.That(text, Does.Contain("# TYPE dotnet_process_memory_working_set_bytes gauge"));
        Assert.That(text, Does.Contain("""cimeika_health_check_status{check="database",endpoint="cimeika"} 2"""));
        Assert.That(text, Does.Contain("""cimeika_health_check_status{check="",endpoint="cimeika"} 2"""));
        Assert.That(Value(text, """cimeika_entries_created_total{module="kazkar",via="form"}""") - Value(before, """cimeika_entries_created_total{module="kazkar",via="form"}"""), Is.EqualTo(1));
        Assert.That(Value(text, """cimeika_entries_created_total{module="kazkar",via="api"}""") - Value(before, """cimeika_entries_created_total{module="kazkar",via="api"}"""), Is.EqualTo(1));
        await AssertPromtoolAcceptsAsync(text);
    }

    [Test]
    public async Task Rate_limiter_rejections_are_exported_from_the_built_in_meter()
    {
        await using var limited = new CimeikaFactory(SharedApp.Database,
            settings: new Dictionary<string, string?> { ["RATE_LIMIT_PER_MINUTE"] = "2" });
        using var client = limited.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/modules/");
            request.Headers.Add(TestRemoteAddress.Header, "198.51.100.250");
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        // The scrape comes from loopback, a client with a budget of its own.
        var text = await client.GetStringAsync("/metrics");

        Assert.That(statuses.Count(s => s == HttpStatusCode.TooManyRequests), Is.EqualTo(3));
        Assert.That(text, Does.Contain("# TYPE aspnetcore_rate_limiting_requests_total counter"));
        Assert.That(text, Does.Match("""aspnetcore_rate_limiting_requests_total\{aspnetcore_rate_limiting_result="global_limiter"\} 3\b"""));
    }

    [Test]
    public async Task Metrics_are_not_found_from_a_network_that_is_not_allowed()
    {
        using var remote = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        remote.Headers.Add(TestRemoteAddress.Header, "203.0.113.9");
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.9");

        // Not signed in: only the network rule applies (an operator's token is the other way in).
        using var anonymous = Factory.CreateClient();
        var fromRemote = await anonymous.SendAsync(remote);
        var throughProxy = await anonymous.SendAsync(proxied);

        Assert.That(fromRemote.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await fromRemote.Content.ReadAsStringAsync(), Does.Not.Contain("http_server_request_duration"));
        Assert.That(throughProxy.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "a local proxy forwarding a remote client");
    }

    [Test]
    public async Task An_operator_token_reads_metrics_from_anywhere_and_a_members_does_not()
    {
        var users = Factory.Services.GetRequiredService<Cimeika.Web.Infrastructure.Identity.UserStore>();
        var tokens = Factory.Services.GetRequiredService<Cimeika.Web.Infrastructure.Identity.TokenStore>();
        var op = (await users.CreateAsync(SharedApp.Owner.FamilyId, "ops@cimeika.test", "Черговий", "Operatorska-zmina-9", "operator", CancellationToken.None))!;
        var member = (await users.CreateAsync(SharedApp.Owner.FamilyId, "kid@cimeika.test", "Дитина", "Operatorska-zmina-9", "member", CancellationToken.None))!;
        var (_, operatorToken) = await tokens.CreateAsync(op.Id, "prometheus", CancellationToken.None);
        var (_, memberToken) = await tokens.CreateAsync(member.Id, "curious", CancellationToken.None);
        using var client = Factory.CreateClient();

        async Task<HttpStatusCode> ScrapeFromFarAwayAsync(string token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Add(TestRemoteAddress.Header, "203.0.113.9");
            request.Headers.Authorization = new("Bearer", token);
            return (await client.SendAsync(request)).StatusCode;
        }

        Assert.That(await ScrapeFromFarAwayAsync(operatorToken), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await ScrapeFromFarAwayAsync(memberToken), Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("127.0.0.1", null, true)]
    [TestCase("::1", null, true)]
    [TestCase("::ffff:10.1.2.3", null, true)]
    [TestCase("10.1.2.3", null, true)]
    [TestCase("192.168.5.1", null, true)]
    [TestCase("192.168.6.1", null, false)]
    [TestCase("203.0.113.9", null, false)]
    [TestCase("127.0.0.1", "203.0.113.9", false)]
    public async Task Loopback_and_allowed_networks_may_read_metrics(string remote, string? forwardedFor, bool allowed)
    {
        var settings = new AppSettings
        {
            EnvironmentName = "Production",
            LogLevel = "Information",
            Monitoring = new MonitoringSettings
            {
                MetricsAllowedNetworks = [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("192.168.5.0/24")],
            },
        };
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (forwardedFor is not null) context.Request.Headers["X-Forwarded-For"] = forwardedFor;

        Assert.That(await new NetworkMetricsAccess(settings).IsAllowedAsync(context), Is.EqualTo(allowed));
    }

    private async Task<string> ScrapeAsync()
    {
        var response = await Client.GetAsync("/metrics");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return await response.Content.ReadAsStringAsync();
    }

    private static double Value(string text, string series)
    {
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>Prometheus' own linter; deploy/test.sh installs it (Debian's prometheus package).</summary>
    private static async Task AssertPromtoolAcceptsAsync(string text)
    {
        var promtool = Environment.GetEnvironmentVariable("PROMTOOL")
                       ?? new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        if (promtool is null)
        {
            Assert.Ignore("promtool is not installed (deploy/test.sh installs it)");
        }
        var start = new ProcessStartInfo(promtool, "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, $"promtool check metrics:\n{output}");
    }
}
