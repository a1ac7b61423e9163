using System.Net;
using System.Text.RegularExpressions;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Security;

public sealed partial class SecurityHeadersTests : AppTest
{
    private static readonly string[] ModulePages = ["/ci", "/podija", "/nastrij", "/malya", "/kazkar", "/calendar", "/gallery"];

    private static Dictionary<string, string> Directives(string policy) => policy
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .ToDictionary(d => d.Split(' ')[0], d => d[(d.IndexOf(' ') + 1)..]);

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : "";

    private static void AssertSecurityHeaders(HttpResponseMessage response, string what)
    {
        Assert.That(Header(response, "X-Content-Type-Options"), Is.EqualTo("nosniff"), what);
        Assert.That(Header(response, "X-Frame-Options"), Is.EqualTo("DENY"), what);
        Assert.That(Header(response, "Referrer-Policy"), Is.EqualTo("strict-origin-when-cross-origin"), what);
        Assert.That(Header(response, "Permissions-Policy"), Does.Contain("camera=()").And.Contain("microphone=()").And.Contain("geolocation=()"), what);
        Assert.That(Header(response, "Content-Security-Policy"), Is.Not.Empty, what);
    }

    [Test]
    public async Task Pages_get_a_content_security_policy_without_inline_script_or_style()
    {
        var response = await Client.GetAsync("/kazkar");
        var csp = Directives(Header(response, "Content-Security-Policy"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(csp["default-src"], Is.EqualTo("'self'"));
        Assert.That(csp["script-src"], Is.EqualTo("'self'"));
        Assert.That(csp["style-src"], Is.EqualTo("'self'"));
        Assert.That(csp["img-src"], Is.EqualTo("'self' data:"));
        Assert.That(csp["frame-ancestors"], Is.EqualTo("'none'"));
        Assert.That(csp["form-action"], Is.EqualTo("'self'"));
        Assert.That(csp["base-uri"], Is.EqualTo("'self'"));
        Assert.That(csp["object-src"], Is.EqualTo("'none'"));
        AssertSecurityHeaders(response, "/kazkar");
    }

    [Test]
    public async Task Every_kind_of_response_carries_the_security_headers()
    {
        var html = await Client.GetStringAsync("/ci");
        var css = CssLink().Match(html).Groups[1].Value;

        foreach (var url in new[] { "/ci", "/api/v1/modules/", "/health", "/no/such/page", "/api/v1/kazkar/stories/999", css })
        {
            var response = await Client.GetAsync(url);
            AssertSecurityHeaders(response, url);
            Assert.That(Directives(Header(response, "Content-Security-Policy"))["script-src"], Is.EqualTo("'self'"), url);
        }
    }

    [Test]
    public async Task Pages_have_no_inline_script_style_or_event_handler_that_the_policy_would_block()
    {
        foreach (var page in ModulePages.Append("/kazkar/import"))
        {
            var html = await Client.GetStringAsync(page);

            Assert.That(ScriptTag().Matches(html).Select(m => m.Value), Has.All.Match("src=\"[^\"]+\"[^>]*></script>$"), page);
            Assert.That(html, Does.Not.Contain("<style"), page);
            Assert.That(InlineStyleOrHandler().IsMatch(html), Is.False, page);
            Assert.That(html, Does.Contain("\"includeIndicatorStyles\":false"), page);
        }
    }

    [Test]
    public async Task Swagger_ui_alone_gets_a_policy_that_allows_its_inline_script_and_style()
    {
        var docs = await Client.GetAsync("/api/docs/index.html");
        var csp = Directives(Header(docs, "Content-Security-Policy"));

        Assert.That(docs.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(csp["script-src"], Is.EqualTo("'self' 'unsafe-inline'"));
        Assert.That(csp["style-src"], Is.EqualTo("'self' 'unsafe-inline'"));
        Assert.That(csp["frame-ancestors"], Is.EqualTo("'none'"));
        Assert.That(Directives(Header(await Client.GetAsync("/api/openapi.json"), "Content-Security-Policy"))["script-src"], Is.EqualTo("'self'"));
        Assert.That(Directives(Header(await Client.GetAsync("/api/docsx"), "Content-Security-Policy"))["script-src"], Is.EqualTo("'self'"));
    }

    [Test]
    public async Task No_hsts_outside_production()
    {
        var response = await Client.GetAsync("/ci");

        Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.False);
    }

    [GeneratedRegex("<script\\b[^>]*>.*?</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("\\s(style|on[a-z]+)=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineStyleOrHandler();

    [GeneratedRegex("href=\"(/css/site\\.[a-z0-9]+\\.css)\"")]
    private static partial Regex CssLink();
}

/// <summary>Headers survive the production exception handler, which clears the response before it writes the error page.</summary>
public sealed class ProductionSecurityHeadersTests
{
    [Test]
    public async Task Server_errors_keep_the_security_headers_in_production()
    {
        await using var factory = new CimeikaFactory("cimeika_unreachable", "Production", ProductionSettings.WithoutDatabase());
        using var client = factory.CreateBrowserClient();

        var page = await client.GetAsync("/kazkar");
        // A token cannot be checked while the database is down: the request fails on the server.
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/kazkar/stories");
        request.Headers.Authorization = new("Bearer", "cim_unverifiable-while-the-database-is-down");
        var api = await client.SendAsync(request);

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        foreach (var response in new[] { page, api })
        {
            Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("script-src 'self'"));
            Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
            Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        }
    }
}
