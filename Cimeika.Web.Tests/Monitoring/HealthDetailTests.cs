using System.Diagnostics;
using System.Net;
using Cimeika.Web.Modules.Operations;
using Cimeika.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Monitoring;

/// <summary>/healthchecks-api, /ready listing every check, and /ready turning 503 first on a graceful shutdown.</summary>
public sealed class HealthDetailTests : AppTest
{
    [Test]
    public async Task Healthchecks_api_answers_in_the_healthchecks_ui_client_format_for_every_check()
    {
        var response = await Client.GetAsync("/healthchecks-api");
        var body = await response.JsonAsync();
        var report = HealthEndpointReader.Parse("cimeika", DateTimeOffset.UtcNow, TimeSpan.Zero, await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)body["status"], Is.EqualTo("Healthy"));
        Assert.That(TimeSpan.TryParse((string?)body["totalDuration"], out _), Is.True);
        foreach (var check in new[] { "database", "migrations", "accepting_requests" })
        {
            var entry = body["entries"]![check]!;
            Assert.That((string?)entry["status"], Is.EqualTo("Healthy"), check);
            Assert.That((string?)entry["description"], Is.Not.Empty, check);
            Assert.That(entry["tags"]!.AsArray().Select(t => (string?)t), Does.Contain("ready"), check);
            Assert.That(TimeSpan.TryParse((string?)entry["duration"], out _), Is.True, check);
        }
        Assert.That(report!.Checks.Select(c => c.Name), Is.EquivalentTo(new[] { "database", "migrations", "accepting_requests" }));
    }

    [Test]
    public async Task Ready_lists_every_registered_check_including_later_ones()
    {
        var database = await TestDatabase.CreateAsync("cimeika_ready");
        var factory = new CimeikaFactory(database, services: s =>
            s.AddHealthChecks().AddCheck("later", () => HealthCheckResult.Degraded("slow but working")));
        try
        {
            using var client = factory.CreateClient();
            var response = await client.GetAsync("/ready");
            var body = await response.JsonAsync();

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "degraded is still ready");
            Assert.That((string?)body["status"], Is.EqualTo("ready"));
            Assert.That(body["checks"]!.AsObject().Select(c => c.Key),
                Is.EquivalentTo(new[] { "database", "migrations", "accepting_requests", "later" }));
            Assert.That((string?)body["checks"]!["later"]!["status"], Is.EqualTo("degraded"));
            Assert.That((string?)body["checks"]!["later"]!["description"], Is.EqualTo("slow but working"));
        }
        finally
        {
            await factory.DisposeAsync();
            await TestDatabase.DropAsync(database);
        }
    }

    [Test]
    public async Task On_sigterm_ready_turns_503_while_requests_are_still_served_until_the_shutdown_delay_ends()
    {
        var database = await TestDatabase.CreateAsync("cimeika_shutdown");
        await using var app = await AppProcess.StartOnDatabaseAsync(database, new Dictionary<string, string?>
        {
            ["ENVIRONMENT"] = "production",
            ["SHUTDOWN_DELAY_SECONDS"] = "3",
        });
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Url!) };
            var stopwatch = Stopwatch.StartNew();
            app.Terminate();

            HttpResponseMessage ready;
            do
            {
                ready = await http.GetAsync("/ready");
            }
            while (ready.StatusCode == HttpStatusCode.OK && stopwatch.Elapsed < TimeSpan.FromSeconds(2));
            var readyBody = await ready.JsonAsync();
            var page = await http.GetAsync("/kazkar");
            var stillRunningAfter = stopwatch.Elapsed;
            await app.StopAsync();
            var stoppedAfter = stopwatch.Elapsed;

            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That((string?)readyBody["checks"]!["accepting_requests"]!["status"], Is.EqualTo("unhealthy"));
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), "requests are still served during the delay");
            Assert.That(stillRunningAfter, Is.LessThan(TimeSpan.FromSeconds(3)));
            Assert.That(stoppedAfter, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(3)), "the server kept accepting for the delay");
            Assert.That(app.ExitCode, Is.Zero);
            Assert.That(app.Output, Does.Contain("Shutting down: /ready answers 503"));
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }
}
