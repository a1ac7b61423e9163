using System.Net;
using System.Text.RegularExpressions;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Service;

/// <summary>The layout, the seven module pages, language, themes, error pages and static assets.</summary>
public sealed class PagesTests : AppTest
{
    private static readonly (string Path, string Name)[] Navigation =
    [
        ("/ci", "Ci"), ("/podija", "ПоДія"), ("/nastrij", "Настрій"), ("/malya", "Маля"),
        ("/kazkar", "Казкар"), ("/calendar", "Календар"), ("/gallery", "Галерея"),
    ];

    [Test]
    public async Task Every_module_page_loads_with_its_title_and_description_in_ukrainian()
    {
        foreach (var (path, name) in Navigation)
        {
            var response = await Client.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(html, Does.Contain("<html lang=\"uk\""), path);
            Assert.That(Regex.IsMatch(html, $"<h1>{Regex.Escape(name)}</h1>"), Is.True, path);
            Assert.That(html, Does.Contain("class=\"module-description\""), path);
        }
    }

    [Test]
    public async Task Navigation_lists_modules_in_the_earlier_order_and_marks_the_current_one()
    {
        var html = await Client.GetStringAsync("/malya");
        var nav = Regex.Match(html, "<nav class=\"modules-nav\".*?</nav>", RegexOptions.Singleline).Value;
        var links = Regex.Matches(nav, "<a href=\"([^\"]+)\"( aria-current=\"page\")?>([^<]+)</a>");

        Assert.That(links.Select(l => l.Groups[1].Value), Is.EqualTo(Navigation.Select(n => n.Path)));
        Assert.That(links.Select(l => l.Groups[3].Value), Is.EqualTo(Navigation.Select(n => n.Name)));
        Assert.That(links.Where(l => l.Groups[2].Success).Select(l => l.Groups[1].Value), Is.EqualTo(new[] { "/malya" }));
    }

    [Test]
    public async Task Kazkar_pages_are_night_and_all_others_day()
    {
        foreach (var (path, _) in Navigation)
        {
            var html = await Client.GetStringAsync(path);
            var expected = path == "/kazkar" ? "night" : "day";
            Assert.That(html, Does.Contain($"data-theme=\"{expected}\""), path);
        }
    }

    [Test]
    public async Task Layout_has_footer_and_ci_button_linking_to_ci()
    {
        var html = await Client.GetStringAsync("/podija");

        Assert.That(html, Does.Contain("Створено з ❤️ для організації життя"));
        Assert.That(html, Does.Match("<a class=\"ci-button\" href=\"/ci\""));
    }

    [Test]
    public async Task Language_switch_sets_a_cookie_and_pages_turn_english()
    {
        var token = await Client.AntiforgeryTokenAsync("/kazkar");

        var response = await Client.PostFormAsync("/culture", token, [new("culture", "en"), new("returnUrl", "/kazkar?q=x")]);
        var html = await Client.GetStringAsync("/kazkar");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/kazkar?q=x"));
        Assert.That(response.Headers.GetValues("Set-Cookie").Single(), Does.Contain(".AspNetCore.Culture=c%3Den%7Cuic%3Den"));
        Assert.That(html, Does.Contain("<html lang=\"en\""));
        Assert.That(html, Does.Contain("<h1>Kazkar</h1>"));
        Assert.That(html, Does.Contain("Made with ❤️ for organising life"));
    }

    [Test]
    public async Task Language_switch_refuses_a_missing_token_and_an_unknown_language_and_external_return_urls()
    {
        var token = await Client.AntiforgeryTokenAsync("/ci");

        var noToken = await Client.PostAsync("/culture", new FormUrlEncodedContent([new("culture", "en")]));
        var unknown = await Client.PostFormAsync("/culture", token, [new("culture", "de")]);
        var external = await Client.PostFormAsync("/culture", token, [new("culture", "en"), new("returnUrl", "//evil.example/")]);

        Assert.That(noToken.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(external.Headers.Location?.OriginalString, Is.EqualTo("/ci"));
    }

    [Test]
    public async Task Unknown_page_gets_the_friendly_404_page()
    {
        var response = await Client.GetAsync("/no/such/page");
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(html, Does.Contain("<h1>Сторінку не знайдено</h1>"));
        Assert.That(html, Does.Contain("href=\"/ci\""));
    }

    [Test]
    public async Task Static_asset_urls_are_fingerprinted()
    {
        // Long-lived cache headers come from the publish manifest: the browser tests check them on the published app.
        var html = await Client.GetStringAsync("/ci");

        Assert.That(html, Does.Match("href=\"/css/site\\.[a-z0-9]{6,}\\.css\""));
        Assert.That(html, Does.Match("src=\"/lib/htmx/htmx\\.min\\.[a-z0-9]{6,}\\.js\""));
        Assert.That(html, Does.Match("src=\"/js/app\\.[a-z0-9]{6,}\\.js\""));
    }

    [Test]
    public async Task Vendored_htmx_is_version_2_0()
    {
        var html = await Client.GetStringAsync("/ci");
        var htmx = Regex.Match(html, "src=\"(/lib/htmx/htmx\\.min\\.[a-z0-9]+\\.js)\"").Groups[1].Value;

        Assert.That(await Client.GetStringAsync(htmx), Does.Match("version:\"2\\.0\\.\\d+\""));
    }

    [Test]
    public async Task Pages_are_compressed_when_the_client_accepts_it()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/kazkar");
        request.Headers.AcceptEncoding.ParseAdd("br");

        var response = await Client.SendAsync(request);

        Assert.That(response.Content.Headers.ContentEncoding, Is.EqualTo(new[] { "br" }));
    }
}

/// <summary>Outside Development, failures show the friendly page and no exception details.</summary>
public sealed class ProductionErrorPageTests
{
    [Test]
    public async Task Server_error_shows_friendly_page_without_stack_trace()
    {
        // A database nobody can reach makes every data page fail.
        await using var factory = new CimeikaFactory("cimeika_unreachable", "Production", ProductionSettings.WithoutDatabase());
        using var client = factory.CreateBrowserClient();

        var page = await client.GetAsync("/kazkar");
        var html = await page.Content.ReadAsStringAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/kazkar/stories");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "cim_unverifiable-while-the-database-is-down");
        var api = await client.SendAsync(request);
        var json = await api.Content.ReadAsStringAsync();

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(html, Does.Contain("<h1>Щось пішло не так</h1>"));
        Assert.That(html, Does.Not.Contain("Npgsql").And.Not.Contain("   at ").And.Not.Contain("Exception"));
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(json, Is.EqualTo("{\"detail\":\"Internal server error\"}"));
    }
}
