using System.Net;
using System.Text.RegularExpressions;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Security;

/// <summary>An app with low limits whose tests each come from their own client address (<see cref="TestRemoteAddress"/>).</summary>
public abstract class LowLimitTest
{
    private static int _nextAddress;

    protected CimeikaFactory Factory { get; private set; } = null!;
    protected HttpClient Client { get; private set; } = null!;

    protected abstract IReadOnlyDictionary<string, string?> Settings { get; }

    [OneTimeSetUp]
    public void Start()
    {
        Factory = new CimeikaFactory(SharedApp.Database, settings: Settings);
        Client = Factory.CreateBrowserClient();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }

    /// <summary>A client address of the documentation range no other test uses.</summary>
    protected static string NewAddress() => $"198.51.100.{Interlocked.Increment(ref _nextAddress)}";

    protected Task<HttpResponseMessage> SendAsync(string url, string peer, string? forwardedFor = null, string? accept = null,
        bool htmx = false, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(TestRemoteAddress.Header, peer);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (accept is not null) request.Headers.Accept.ParseAdd(accept);
        if (htmx) request.Headers.Add("HX-Request", "true");
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        return Client.SendAsync(request);
    }

    protected static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : "";
}

public sealed partial class RateLimitingTests : LowLimitTest
{
    private const string Html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RATE_LIMIT_PER_MINUTE"] = "3",
        ["RATE_LIMIT_PER_HOUR"] = "100",
    };

    private async Task ExhaustAsync(string peer, string url = "/api/v1/modules/")
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.That((await SendAsync(url, peer)).StatusCode, Is.Not.EqualTo(HttpStatusCode.TooManyRequests), $"request {i + 1}");
        }
    }

    [Test]
    public async Task Allowed_responses_carry_the_limits_and_the_request_over_the_minute_limit_gets_429_json()
    {
        var peer = NewAddress();
        var allowed = new List<HttpResponseMessage>();
        for (var i = 0; i < 3; i++) allowed.Add(await SendAsync("/api/v1/modules/", peer));

        var refused = await SendAsync("/api/v1/modules/", peer);

        Assert.That(allowed.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
        Assert.That(allowed.Select(r => Header(r, "X-RateLimit-Limit-Minute")), Is.All.EqualTo("3"));
        Assert.That(allowed.Select(r => Header(r, "X-RateLimit-Limit-Hour")), Is.All.EqualTo("100"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(await refused.Content.ReadAsStringAsync(),
            Is.EqualTo("{\"error\":\"rate_limit_exceeded\",\"message\":\"Too many requests. Limit: 3/minute\",\"detail\":\"Please try again later\"}"));
        // Three per minute: a token comes back every 20 s.
        Assert.That(int.Parse(Header(refused, "Retry-After")), Is.InRange(1, 20));
    }

    [Test]
    public async Task Browsers_get_the_friendly_page_in_their_language_with_the_wait()
    {
        var peer = NewAddress();
        await ExhaustAsync(peer, "/ci");

        var ukrainian = await SendAsync("/ci", peer, accept: Html);
        var english = await SendAsync("/podija", peer, accept: Html, cookie: ".AspNetCore.Culture=c%3Den%7Cuic%3Den");
        var ukHtml = await ukrainian.Content.ReadAsStringAsync();
        var enHtml = await english.Content.ReadAsStringAsync();

        Assert.That(ukrainian.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(ukrainian.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(ukHtml, Does.Contain("<h1>Забагато запитів</h1>"));
        Assert.That(ukHtml, Does.Contain($"Спробуйте знову за {Header(ukrainian, "Retry-After")} с."));
        Assert.That(ukHtml, Does.Contain("class=\"site-header\""), "inside the layout");
        Assert.That(english.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(enHtml, Does.Contain("<h1>Too many requests</h1>"));
        Assert.That(enHtml, Does.Contain($"Please try again in {Header(english, "Retry-After")} s."));
    }

    [Test]
    public async Task Htmx_requests_get_a_short_fragment_and_json_clients_of_pages_get_json()
    {
        var peer = NewAddress();
        await ExhaustAsync(peer, "/kazkar");

        var htmx = await SendAsync("/kazkar?q=x", peer, htmx: true);
        var json = await SendAsync("/ci", peer, accept: "application/json");
        var fragment = await htmx.Content.ReadAsStringAsync();

        Assert.That(htmx.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(htmx.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(fragment, Does.Match("^<p class=\"notice error\" role=\"alert\">Забагато запитів. Спробуйте знову за \\d+ с.</p>$"));
        Assert.That(int.Parse(Header(htmx, "Retry-After")), Is.Positive);
        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That((await json.JsonAsync())["error"]?.GetValue<string>(), Is.EqualTo("rate_limit_exceeded"));
    }

    [Test]
    public async Task Health_ready_and_static_assets_are_never_limited()
    {
        var peer = NewAddress();
        var css = CssLink().Match(await (await SendAsync("/signin", peer)).Content.ReadAsStringAsync()).Groups[1].Value;
        await SendAsync("/ci", peer);
        await SendAsync("/ci", peer);
        Assert.That((await SendAsync("/ci", peer)).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));

        foreach (var url in new[] { "/health", "/ready", css, "/favicon.svg" })
        {
            for (var i = 0; i < 5; i++)
            {
                var response = await SendAsync(url, peer);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), url);
                Assert.That(response.Headers.Contains("X-RateLimit-Limit-Minute"), Is.False, url);
            }
        }
    }

    [Test]
    public async Task A_re_executed_error_page_does_not_count_again()
    {
        var peer = NewAddress();
        // Signed in from another (unlimited) client address.
        var session = await Factory.SessionCookieAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add((await SendAsync("/no/such/page", peer, accept: Html, cookie: session)).StatusCode);

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests }));
    }

    [Test]
    public async Task Each_client_address_has_its_own_budget()
    {
        var first = NewAddress();
        await ExhaustAsync(first);

        Assert.That((await SendAsync("/api/v1/modules/", first)).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That((await SendAsync("/api/v1/modules/", NewAddress())).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task The_forwarded_address_counts_only_when_a_known_proxy_sends_it()
    {
        // Loopback is the known proxy by default.
        var viaProxy = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) viaProxy.Add((await SendAsync("/api/v1/modules/", "127.0.0.1", forwardedFor: NewAddress())).StatusCode);
        var stranger = NewAddress();
        var spoofed = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) spoofed.Add((await SendAsync("/api/v1/modules/", stranger, forwardedFor: NewAddress())).StatusCode);

        Assert.That(viaProxy, Is.All.EqualTo(HttpStatusCode.OK), "five clients behind the proxy, one request each");
        Assert.That(spoofed[3], Is.EqualTo(HttpStatusCode.TooManyRequests), "an unknown peer's X-Forwarded-For is ignored");
    }

    [Test]
    public async Task Ipv6_clients_share_the_budget_of_their_64_network()
    {
        foreach (var host in new[] { "2001:db8:7:1::1", "2001:db8:7:1::2", "2001:db8:7:1:ffff:1:2:3" })
        {
            Assert.That((await SendAsync("/api/v1/modules/", host)).StatusCode, Is.EqualTo(HttpStatusCode.OK), host);
        }

        Assert.That((await SendAsync("/api/v1/modules/", "2001:db8:7:1::99")).StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That((await SendAsync("/api/v1/modules/", "2001:db8:7:2::1")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [GeneratedRegex("href=\"(/css/site\\.[a-z0-9]+\\.css)\"")]
    private static partial Regex CssLink();
}

public sealed class HourlyRateLimitTests : LowLimitTest
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RATE_LIMIT_PER_MINUTE"] = "100",
        ["RATE_LIMIT_PER_HOUR"] = "3",
    };

    [Test]
    public async Task The_hour_limit_refuses_with_its_own_message()
    {
        var peer = NewAddress();
        for (var i = 0; i < 3; i++) Assert.That((await SendAsync("/api/v1/modules/", peer)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var refused = await SendAsync("/api/v1/modules/", peer);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That((await refused.JsonAsync())["message"]?.GetValue<string>(), Is.EqualTo("Too many requests. Limit: 3/hour"));
        // Three per hour: a token comes back every 20 minutes.
        Assert.That(int.Parse(Header(refused, "Retry-After")), Is.InRange(60, 1200));
    }
}

public sealed class KnownProxiesTests : LowLimitTest
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RATE_LIMIT_PER_MINUTE"] = "3",
        ["KNOWN_PROXIES"] = "192.0.2.10",
        ["KNOWN_NETWORKS"] = "203.0.113.0/24",
    };

    [TestCase("192.0.2.10")]
    [TestCase("203.0.113.77")]
    public async Task Configured_proxies_and_networks_are_believed(string proxy)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) statuses.Add((await SendAsync("/api/v1/modules/", proxy, forwardedFor: NewAddress())).StatusCode);

        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Loopback_is_no_longer_believed_once_proxies_are_configured()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add((await SendAsync("/api/v1/modules/", "127.0.0.1", forwardedFor: NewAddress())).StatusCode);

        Assert.That(statuses[3], Is.EqualTo(HttpStatusCode.TooManyRequests));
    }
}
