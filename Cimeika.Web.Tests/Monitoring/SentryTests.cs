using System.Net;
using System.Text.Json.Nodes;
using Cimeika.Web.Infrastructure.Observability;
using Cimeika.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Monitoring;

/// <summary>Sentry, against a fake that speaks its envelope endpoint (DSN http://key@127.0.0.1:PORT/1).</summary>
public sealed class SentryTests
{
    [Test]
    public async Task Database_outage_in_a_page_request_is_an_error_event_without_personal_data_and_probes_send_nothing()
    {
        await using var sentry = await FakeHttpServer.StartAsync();
        sentry.Respond = _ => new FakeResponse(200, "{}");
        await using var proxy = new TcpProxy(TestDatabase.Host, TestDatabase.Port) { Accepting = true };
        var database = await TestDatabase.CreateAsync("cimeika_sentry");
        var dsn = $"http://public-key@{new Uri(sentry.Url).Authority}/1";
        var factory = new CimeikaFactory(database, environment: "Production", settings: new Dictionary<string, string?>
        {
            ["POSTGRES_HOST"] = "127.0.0.1",
            ["POSTGRES_PORT"] = proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SENTRY_DSN"] = dsn,
            ["SENTRY_TRACES_SAMPLE_RATE"] = "1.0",
            ["SECRET_KEY"] = ProductionSettings.SecretKey,
        });
        try
        {
            using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false, AllowAutoRedirect = false });
            Assert.That((await client.GetAsync("/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            var session = await factory.SessionCookieAsync();

            proxy.Accepting = false;
            factory.Services.GetRequiredService<NpgsqlDataSource>().Clear();
            Assert.That((await client.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await client.GetAsync("/ready")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That((await client.GetAsync("/metrics")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            using var page = new HttpRequestMessage(HttpMethod.Get, "/kazkar?q=QUERYSECRET");
            // Signed in (the session is taken as it is while the database is down); the page's own query fails.
            page.Headers.Add("Cookie", $"{session}; remember=COOKIESECRET");
            page.Headers.Add("X-Forwarded-For", "198.51.100.23");
            Assert.That((await client.SendAsync(page)).StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));

            // Tracing is on (rate 1.0): the page's transaction arrives too, so probes' would have.
            var envelopes = await sentry.WaitForAsync(r => Items(r, "event").Any(IsDatabaseError) && Items(r, "transaction").Any());
            var error = Items(envelopes, "event").First(IsDatabaseError);
            var everything = string.Join("\n", envelopes.Select(e => e.Body));

            Assert.That(envelopes.Select(e => e.Path).Distinct(), Is.EqualTo(new[] { "/api/1/envelope/" }));
            Assert.That((string?)error["level"], Is.EqualTo("error"));
            Assert.That((string?)error["environment"], Is.EqualTo("production"));
            Assert.That((string?)error["release"], Does.StartWith("cimeika@0.").And.Contain("+"), "release names the version and the commit");
            Assert.That(Name(error), Is.EqualTo("GET /kazkar"), "named by the matched route, not the error page");
            Assert.That(error["request"]?["cookies"], Is.Null);
            Assert.That(error["request"]?["query_string"], Is.Null);
            Assert.That(error["user"]?["ip_address"], Is.Null);
            Assert.That(new[] { "QUERYSECRET", "COOKIESECRET", session.Split('=', 2)[1], "198.51.100.23" }.Where(everything.Contains), Is.Empty);
            var probes = Items(envelopes, "event").Concat(Items(envelopes, "transaction"))
                .Select(Name).Where(n => n is "GET /health" or "GET /ready" or "GET /metrics").ToList();
            Assert.That(probes, Is.Empty);
        }
        finally
        {
            await factory.DisposeAsync();
            await TestDatabase.DropAsync(database);
        }
    }

    [TestCase("/health", true)]
    [TestCase("/ready", true)]
    [TestCase("/metrics", true)]
    [TestCase("/healthchecks-api", true)]
    [TestCase("/api/docs/index.html", true)]
    [TestCase("/api/openapi.json", true)]
    [TestCase("/api/v1/kazkar/stories", false)]
    [TestCase("/healthy-recipes", false)]
    [TestCase("/kazkar", false)]
    public void Probes_metrics_and_api_docs_are_excluded_from_sentry(string path, bool excluded) =>
        Assert.That(SentryPrivacy.IsExcluded(path), Is.EqualTo(excluded));

    private static bool IsDatabaseError(JsonNode evt) =>
        evt["exception"]?["values"]?.AsArray().Any(v => ((string?)v?["type"] ?? "").Contains("Npgsql")) == true;

    private static string? Name(JsonNode item) => (string?)item["transaction"];

    /// <summary>The payloads of one item type in the envelopes: a header line, then per item a header and a payload line.</summary>
    private static IEnumerable<JsonNode> Items(IReadOnlyList<RecordedRequest> envelopes, string type)
    {
        foreach (var envelope in envelopes)
        {
            var lines = envelope.Body.Split('\n');
            for (var i = 1; i + 1 < lines.Length; i += 2)
            {
                if (lines[i].Length == 0) break;
                var header = JsonNode.Parse(lines[i]);
                if ((string?)header?["type"] == type && JsonNode.Parse(lines[i + 1]) is { } payload)
                {
                    yield return payload;
                }
            }
        }
    }
}
