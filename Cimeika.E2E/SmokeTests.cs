using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace Cimeika.E2E;

/// <summary>The production checklist's frontend smoke list, in a real browser.</summary>
public sealed class SmokeTests : BrowserTest
{
    private static readonly (string Path, string Title)[] Modules =
    [
        ("/ci", "Ci"), ("/podija", "ПоДія"), ("/nastrij", "Настрій"), ("/malya", "Маля"),
        ("/kazkar", "Казкар"), ("/calendar", "Календар"), ("/gallery", "Галерея"),
    ];

    [Test]
    public async Task Home_page_goes_to_ci()
    {
        var response = await Page.GotoAsync("/");

        Assert.That(response!.Ok, Is.True);
        await Expect(Page).ToHaveURLAsync(new Regex("/ci$"));
        await Expect(Page.Locator("h1")).ToHaveTextAsync("Ci");
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task All_seven_module_pages_load_without_console_errors()
    {
        foreach (var (path, title) in Modules)
        {
            var response = await Page.GotoAsync(path);

            Assert.That(response!.Status, Is.EqualTo(200), path);
            await Expect(Page.Locator("main h1")).ToHaveTextAsync(title);
            await Expect(Page.Locator("nav.modules-nav a[aria-current=page]")).ToHaveAttributeAsync("href", path);
            await Page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(AppUnderTest.ArtifactsDirectory, "screenshots", $"module{path.Replace('/', '-')}.png"),
            });
        }
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task Kazkar_is_night_and_every_other_module_is_day()
    {
        foreach (var (path, _) in Modules)
        {
            await Page.GotoAsync(path);
            var night = path == "/kazkar";

            await Expect(Page.Locator("html")).ToHaveAttributeAsync("data-theme", night ? "night" : "day");
            Assert.That(await ComputedAsync("body", "backgroundColor"), Is.EqualTo(night ? "rgb(26, 26, 26)" : "rgb(255, 255, 255)"), path);
            Assert.That(await ComputedAsync("main h1", "color"), Is.EqualTo(night ? "rgb(224, 224, 224)" : "rgb(26, 26, 26)"), path);
        }
    }

    [Test]
    public async Task Ci_button_opens_the_overlay_with_module_search_and_system_status()
    {
        await Page.GotoAsync("/podija");

        await Page.ClickAsync("a.ci-button");
        await Expect(Page.Locator("#ci-overlay")).ToBeVisibleAsync();
        await Expect(Page.Locator("[data-ci-status]")).ToHaveTextAsync("Усе працює");
        await Page.FillAsync("#ci-overlay-search", "казк");
        await Expect(Page.Locator(".ci-overlay-modules li:not([hidden])")).ToHaveCountAsync(1);
        await Page.PressAsync("#ci-overlay-search", "Enter");

        await Expect(Page).ToHaveURLAsync(new Regex("/kazkar$"));
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task Language_switch_turns_the_interface_english_and_persists()
    {
        await Page.GotoAsync("/kazkar");

        await Page.ClickAsync("form.language-switch button[value=en]");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Kazkar");
        await Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Page.GotoAsync("/podija");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Podija");
        await Expect(Page.Locator("footer")).ToContainTextAsync("Made with");

        await Page.ClickAsync("form.language-switch button[value=uk]");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("ПоДія");
    }

    [Test]
    public async Task Unknown_page_shows_the_friendly_404()
    {
        var response = await Page.GotoAsync("/no-such-page");

        Assert.That(response!.Status, Is.EqualTo(404));
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Сторінку не знайдено");
    }

    [Test]
    public async Task Static_assets_are_served_fingerprinted_with_long_lived_cache_headers()
    {
        await Page.GotoAsync("/ci");
        var css = await Page.GetAttributeAsync("link[rel=stylesheet]", "href");

        var response = await Page.APIRequest.GetAsync(css!);
        var cacheControl = response.Headers["cache-control"];

        Assert.That(css, Does.Match(@"^/css/site\.[a-z0-9]+\.css$"));
        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(cacheControl, Does.Contain("max-age=31536000").And.Contain("immutable"));
    }
}
