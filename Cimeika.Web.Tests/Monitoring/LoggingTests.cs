using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Monitoring;

/// <summary>Structured request logs, in Seq (a fake speaking its ingestion API) and on the console, without secrets.</summary>
public sealed class LoggingTests
{
    private static readonly string[] FixedSecrets =
        ["QUERYSECRET", "COOKIESECRET", "APIKEYSECRET", "FORMSECRET", "PASSWORDSECRET", "PATHSECRET"];

    /// <summary>The fixed markers plus the real API token and the owner's password.</summary>
    private static string[] Secrets(string token) => [.. FixedSecrets, token, SharedApp.OwnerPassword];

    /// <summary>
    /// Requests that carry each kind of secret, authenticated with a real API token (itself a secret
    /// that must not be logged); every one must leave a request line and no secret. The form post
    /// needs a page rendered over HTTPS in production, so the real-process test leaves it out.
    /// </summary>
    private static async Task SendRequestsWithSecretsAsync(HttpClient client, string token, bool includeForm)
    {
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var query = new HttpRequestMessage(HttpMethod.Get, "/api/v1/kazkar/stories?q=QUERYSECRET&token=QUERYSECRET");
        query.Headers.Add("Cookie", "session=COOKIESECRET");
        query.Headers.Add("X-Api-Key", "APIKEYSECRET");
        Assert.That((await client.SendAsync(query)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // The path itself can be the secret (a calendar feed token).
        Assert.That((await client.GetAsync("/calendar/feed/PATHSECRET.ics")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        if (includeForm)
        {
            var formToken = await client.AntiforgeryTokenAsync("/kazkar");
            var created = await client.PostFormAsync("/kazkar", formToken,
                [new("Form.Title", "FORMSECRET"), new("Form.Content", "FORMSECRET body"), new("password", "PASSWORDSECRET")]);
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        }

        using var api = new HttpRequestMessage(HttpMethod.Post, "/api/v1/kazkar/stories?api_key=QUERYSECRET")
        {
            Content = Http.RawJson("""{"title":"FORMSECRET","content":"PASSWORDSECRET"}"""),
        };
        Assert.That((await client.SendAsync(api)).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [Test]
    public async Task Requests_arrive_in_seq_as_structured_events_without_secrets()
    {
        await using var seq = await FakeHttpServer.StartAsync();
        seq.Respond = _ => new FakeResponse(201, "{}");
        var database = await TestDatabase.CreateAsync("cimeika_seq");
        var factory = new CimeikaFactory(database, settings: new Dictionary<string, string?>
        {
            ["SEQ_URL"] = seq.Url,
            ["SEQ_API_KEY"] = "seq-key",
            ["LOG_LEVEL"] = "Information",
        });
        try
        {
            using var client = factory.CreateBrowserClient();
            var token = await factory.CreateOwnerTokenAsync();
            await SendRequestsWithSecretsAsync(client, token, includeForm: true);

            var posts = await seq.WaitForAsync(r => RequestEvents(r).Count() >= 5);
            var events = Events(posts).ToList();
            var lines = RequestEvents(posts).ToList();

            Assert.That(posts.Select(p => p.Path).Distinct(), Is.EqualTo(new[] { "/api/events/raw" }));
            Assert.That(posts.Select(p => p.Headers["X-Seq-ApiKey"]).Distinct(), Is.EqualTo(new[] { "seq-key" }));
            Assert.That(posts[0].Headers["Content-Type"], Does.StartWith("application/vnd.serilog.clef"));
            Assert.That(lines.Select(e => ((string)e["RequestMethod"]!, (string)e["RoutePattern"]!, (int)e["StatusCode"]!)),
                Is.SupersetOf(new[]
                {
                    ("GET", "/api/v1/kazkar/stories", 200), ("GET", "(unmatched)", 404), ("POST", "/kazkar", 302), ("POST", "/api/v1/kazkar/stories", 201),
                }));
            foreach (var line in lines)
            {
                Assert.That((double)line["Elapsed"]!, Is.GreaterThan(0));
                Assert.That((string?)line["@tr"], Does.Match("^[0-9a-f]{32}$"));
                Assert.That((string?)line["@sp"], Does.Match("^[0-9a-f]{16}$"));
                Assert.That(line["UserId"]?.ToString(), Does.Match("^[1-9][0-9]*$"), "the signed-in user's id");
            }
            foreach (var e in events)
            {
                Assert.That((string?)e["Environment"], Is.EqualTo("Development"));
                Assert.That((string?)e["Version"], Does.StartWith("0."));
                Assert.That((string?)e["MachineName"], Is.EqualTo(Environment.MachineName));
                Assert.That(e.AsObject().ContainsKey("RequestPath"), Is.False, e.ToJsonString());
            }
            var everything = string.Join("\n", posts.Select(p => p.Body));
            Assert.That(Secrets(token).Where(everything.Contains), Is.Empty);
        }
        finally
        {
            await factory.DisposeAsync();
            await TestDatabase.DropAsync(database);
        }
    }

    [Test]
    public async Task Console_log_of_the_real_process_is_json_lines_without_secrets()
    {
        var database = await TestDatabase.CreateAsync("cimeika_console");
        await using var app = await AppProcess.StartOnDatabaseAsync(database, new Dictionary<string, string?>
        {
            ["ENVIRONMENT"] = "production",
            ["LOG_LEVEL"] = "INFO",
        });
        try
        {
            using var client = new HttpClient(new HttpClientHandler { UseCookies = true, AllowAutoRedirect = false })
            {
                BaseAddress = new Uri(app.Url!),
            };
            var token = await TokenForAsync(database);
            await SendRequestsWithSecretsAsync(client, token, includeForm: false);
            await app.StopAsync();

            var output = app.Output;
            var json = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
            var requestLines = json.Where(e => e["RequestMethod"] is not null).ToList();

            Assert.That(requestLines.Select(e => (string?)e["RoutePattern"]), Does.Contain("/api/v1/kazkar/stories").And.Contain("(unmatched)"));
            Assert.That(requestLines.All(e => e["@tr"] is not null && e["StatusCode"] is not null && e["Elapsed"] is not null), Is.True);
            Assert.That(output, Does.Not.Contain("RequestPath"));
            Assert.That(Secrets(token).Where(output.Contains), Is.Empty, output);
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    /// <summary>An owner and a token in a database the real process has migrated.</summary>
    private static async Task<string> TokenForAsync(string database)
    {
        await using var factory = new CimeikaFactory(database);
        return await factory.CreateOwnerTokenAsync();
    }

    [Test]
    public async Task Seq_outage_is_reported_once_and_requests_keep_being_served()
    {
        await using var seq = await FakeHttpServer.StartAsync();
        var accepting = false;
        seq.Respond = _ => accepting ? new FakeResponse(201, "{}") : new FakeResponse(503, "down");
        var database = await TestDatabase.CreateAsync("cimeika_seqdown");
        var factory = new CimeikaFactory(database, settings: new Dictionary<string, string?>
        {
            ["SEQ_URL"] = seq.Url,
            ["LOG_LEVEL"] = "Information",
        });
        try
        {
            using var client = await factory.CreateSignedInClientAsync();
            for (var i = 0; i < 20; i++)
            {
                Assert.That((await client.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That((await client.GetAsync("/kazkar")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }
            // Two failed deliveries (the sink retries with backoff), then Seq comes back.
            await seq.WaitForAsync(r => r.Count >= 2, seconds: 30);
            accepting = true;
            var posts = await seq.WaitForAsync(r => Events(r.Where(p => p.Body.Contains("accepts logs again")).ToList()).Any(), seconds: 60);

            var delivered = Events(posts).Select(e => (string?)e["@mt"] ?? "").ToList();
            Assert.That(delivered.Count(m => m.Contains("is not accepting logs")), Is.EqualTo(1));
            Assert.That(delivered.Count(m => m.Contains("accepts logs again")), Is.EqualTo(1));
            Assert.That(delivered.Count(m => m.StartsWith("HTTP ")), Is.GreaterThanOrEqualTo(20), "events kept during the outage");
        }
        finally
        {
            await factory.DisposeAsync();
            await TestDatabase.DropAsync(database);
        }
    }

    private static IEnumerable<JsonNode> Events(IReadOnlyList<RecordedRequest> posts) =>
        posts.Where(p => p.Status == 201)
            .SelectMany(p => p.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(line => JsonNode.Parse(line)!);

    private static IEnumerable<JsonNode> RequestEvents(IReadOnlyList<RecordedRequest> posts) =>
        Events(posts).Where(e => e["RequestMethod"] is not null);
}
