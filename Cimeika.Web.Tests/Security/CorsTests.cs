using System.Net;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Security;

public static class Cors
{
    public static Task<HttpResponseMessage> GetFromAsync(this HttpClient client, string url, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Origin", origin);
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PreflightAsync(this HttpClient client, string url, string origin, string method = "POST")
    {
        var request = new HttpRequestMessage(HttpMethod.Options, url);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return client.SendAsync(request);
    }

    public static string? AllowedOrigin(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;

    public static IEnumerable<string> CorsHeaders(this HttpResponseMessage response) =>
        response.Headers.Select(h => h.Key).Where(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
}

/// <summary>Development defaults: the usual local front-end dev servers.</summary>
public sealed class CorsTests : AppTest
{
    [Test]
    public async Task A_local_dev_server_origin_may_call_the_api_in_development()
    {
        var response = await Client.GetFromAsync("/api/v1/modules/", "http://localhost:5173");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.AllowedOrigin(), Is.EqualTo("http://localhost:5173"));
        Assert.That(response.Headers.GetValues("Access-Control-Expose-Headers").Single(), Does.Contain("Retry-After"));
        Assert.That(response.Headers.Vary, Does.Contain("Origin"));
    }

    [Test]
    public async Task An_unknown_origin_gets_no_cors_headers()
    {
        var response = await Client.GetFromAsync("/api/v1/modules/", "https://evil.example");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the request itself is served: the browser withholds the answer");
        Assert.That(response.CorsHeaders(), Is.Empty);
    }

    [Test]
    public async Task Preflight_for_an_allowed_origin_permits_the_method_and_json_content_type()
    {
        var response = await Client.PreflightAsync("/api/v1/kazkar/stories", "http://localhost:3000");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.AllowedOrigin(), Is.EqualTo("http://localhost:3000"));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Methods").Single(), Does.Contain("POST"));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Headers").Single(), Does.Contain("Content-Type").IgnoreCase);
        Assert.That(response.Headers.GetValues("Access-Control-Max-Age").Single(), Is.EqualTo("600"));
        Assert.That(response.Headers.Contains("Access-Control-Allow-Credentials"), Is.False);
    }

    [Test]
    public async Task Preflight_for_an_unknown_origin_or_an_unlisted_method_is_not_permitted()
    {
        var unknown = await Client.PreflightAsync("/api/v1/kazkar/stories", "https://evil.example");
        var patch = await Client.PreflightAsync("/api/v1/kazkar/stories/1", "http://localhost:3000", "PATCH");

        Assert.That(unknown.CorsHeaders(), Is.Empty);
        // The browser refuses a method that the answer does not list.
        Assert.That(patch.Headers.GetValues("Access-Control-Allow-Methods").Single(), Does.Not.Contain("PATCH"));
    }

    [Test]
    public async Task Pages_outside_the_api_never_get_cors_headers()
    {
        var page = await Client.GetFromAsync("/kazkar", "http://localhost:5173");
        var health = await Client.GetFromAsync("/health", "http://localhost:5173");

        Assert.That(page.CorsHeaders(), Is.Empty);
        Assert.That(health.CorsHeaders(), Is.Empty);
    }
}

public sealed class ConfiguredCorsTests
{
    [Test]
    public async Task Only_the_exact_configured_origins_are_allowed()
    {
        await using var factory = new CimeikaFactory(SharedApp.Database, settings: new Dictionary<string, string?>
        {
            ["CORS_ORIGINS"] = "https://family.example, https://app.family.example:8443",
        });
        using var client = factory.CreateClient();

        Assert.That((await client.GetFromAsync("/api/v1/modules/", "https://family.example")).AllowedOrigin(), Is.EqualTo("https://family.example"));
        Assert.That((await client.GetFromAsync("/api/v1/modules/", "https://app.family.example:8443")).AllowedOrigin(), Is.EqualTo("https://app.family.example:8443"));
        foreach (var refused in new[] { "http://family.example", "https://family.example.evil", "https://evil.family.example", "https://app.family.example", "http://localhost:5173" })
        {
            Assert.That((await client.GetFromAsync("/api/v1/modules/", refused)).CorsHeaders(), Is.Empty, refused);
        }
    }

    [Test]
    public async Task Production_allows_no_origin_unless_configured()
    {
        await using var factory = new CimeikaFactory("cimeika_unreachable", "Production", ProductionSettings.WithoutDatabase());
        using var client = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });

        var simple = await client.GetFromAsync("/api/v1/modules/", "http://localhost:5173");
        var preflight = await client.PreflightAsync("/api/v1/kazkar/stories", "http://localhost:5173");

        Assert.That(simple.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(simple.CorsHeaders(), Is.Empty);
        Assert.That(preflight.CorsHeaders(), Is.Empty);
    }
}
