using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace Cimeika.E2E;

/// <summary>
/// The operator dashboard in a real browser, as an operator sees it, with the app's checks and a
/// fake "worker" endpoint polled every second.
/// </summary>
public sealed class OperationsTests : BrowserTest
{
    protected override string? StorageState => AppUnderTest.OperatorState;

    [SetUp]
    public void WorkerIsHealthy() => AppUnderTest.Worker.Healthy = true;

    [TearDown]
    public void WorkerStaysHealthy() => AppUnderTest.Worker.Healthy = true;

    [Test]
    public async Task Dashboard_shows_every_check_healthy()
    {
        await Page.GotoAsync("/healthchecks-ui");

        await Expect(Page.Locator("#health-overall")).ToHaveClassAsync("health-banner healthy");
        await Expect(Page.Locator("#health-overall strong")).ToHaveTextAsync("Усе справно");
        await Expect(Page.Locator("details[data-endpoint]")).ToHaveCountAsync(2);
        await Page.ClickAsync("details[data-endpoint=cimeika] > summary");
        await Page.ClickAsync("details[data-endpoint=worker] > summary");
        foreach (var check in new[] { "database", "migrations", "accepting_requests", "queue" })
        {
            var row = Page.Locator($"tr[data-check={check}]");
            await Expect(row).ToHaveClassAsync("healthy");
            await Expect(row.Locator(".status-badge")).ToHaveTextAsync("Справний");
        }
        await Expect(Page.Locator("details[data-endpoint=cimeika] svg.timeline").First).ToBeVisibleAsync();
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task A_check_turning_unhealthy_shows_without_a_reload_and_stays_expanded_as_left()
    {
        await Page.GotoAsync("/healthchecks-ui");
        await Expect(Page.Locator("#health-overall")).ToHaveClassAsync("health-banner healthy");
        await Page.EvaluateAsync("window.__notReloaded = true");
        await Page.ClickAsync("details[data-endpoint=cimeika] > summary");

        AppUnderTest.Worker.Healthy = false;

        await Expect(Page.Locator("#health-overall")).ToHaveClassAsync("health-banner unhealthy", new() { Timeout = 15_000 });
        await Expect(Page.Locator("tr[data-check=queue]")).ToHaveClassAsync("unhealthy");
        await Expect(Page.Locator("tr[data-check=queue] .health-description")).ToHaveTextAsync("Queue is stuck");
        await Expect(Page.Locator("details[data-endpoint]").First).ToHaveAttributeAsync("data-endpoint", "worker");
        await Expect(Page.Locator("details[data-endpoint=cimeika]")).ToHaveAttributeAsync("open", "");
        Assert.That(await Page.EvaluateAsync<bool>("window.__notReloaded === true"), Is.True, "no full reload");

        AppUnderTest.Worker.Healthy = true;
        await Expect(Page.Locator("#health-overall")).ToHaveClassAsync("health-banner healthy", new() { Timeout = 15_000 });
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task Pause_stops_live_updates_and_resume_brings_them_back()
    {
        await Page.GotoAsync("/healthchecks-ui");
        await Expect(Page.Locator("#health-overall")).ToHaveClassAsync("health-banner healthy");

        await Page.ClickAsync("#health-live .health-controls a.button");
        await Expect(Page.Locator(".health-mode")).ToHaveTextAsync("Оновлення призупинено");
        AppUnderTest.Worker.Healthy = false;
        await Page.WaitForTimeoutAsync(3_000);
        await Expect(Page.Locator("#health-overall")).ToHaveClassAsync("health-banner healthy");

        await Page.ClickAsync("#health-live .health-controls a.button");
        await Expect(Page.Locator("#health-overall")).ToHaveClassAsync("health-banner unhealthy", new() { Timeout = 15_000 });
        await Expect(Page.Locator(".health-mode")).ToHaveTextAsync("Оновлюється кожні 1 с");
    }

    [Test]
    public async Task A_failed_fetch_shows_a_banner_until_data_comes_again()
    {
        await Page.GotoAsync("/healthchecks-ui");
        await Expect(Page.Locator("#health-fetch-error")).ToBeHiddenAsync();

        await Page.RouteAsync("**/healthchecks-ui*", route =>
            route.Request.Headers.ContainsKey("hx-request") ? route.AbortAsync() : route.ContinueAsync());
        await Expect(Page.Locator("#health-fetch-error")).ToBeVisibleAsync();
        await Expect(Page.Locator("#notices .notice.error")).ToHaveCountAsync(0);

        await Page.UnrouteAllAsync();
        await Expect(Page.Locator("#health-fetch-error")).ToBeHiddenAsync();
    }

    [Test]
    public async Task Dark_mode_follows_the_system_setting()
    {
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Dark });
        await Page.GotoAsync("/healthchecks-ui");
        var dark = await ComputedAsync("body", "backgroundColor");

        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
        var light = await ComputedAsync("body", "backgroundColor");

        Assert.That(dark, Is.EqualTo("rgb(26, 26, 26)"));
        Assert.That(light, Is.EqualTo("rgb(255, 255, 255)"));
    }
}

/// <summary>The dashboard without JavaScript: current state on load, and "check now" as a plain form.</summary>
public sealed class OperationsWithoutJavaScriptTests : BrowserTest
{
    protected override string? StorageState => AppUnderTest.OperatorState;

    protected override bool JavaScriptEnabled => false;

    [TearDown]
    public void WorkerStaysHealthy() => AppUnderTest.Worker.Healthy = true;

    [Test]
    public async Task Check_now_refreshes_the_page_without_javascript()
    {
        await Page.GotoAsync("/healthchecks-ui?window=7d");
        AppUnderTest.Worker.Healthy = false;

        await Page.ClickAsync("text=Перевірити зараз");

        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/healthchecks-ui\\?window=7d$"));
        await Expect(Page.Locator("#health-overall")).ToHaveClassAsync("health-banner unhealthy");
        await Expect(Page.Locator("details[data-endpoint=worker]")).ToHaveAttributeAsync("open", "open");
        await Expect(Page.Locator(".health-windows a[aria-current=true]")).ToHaveTextAsync("7 днів");
    }
}

/// <summary>The dashboard is the operators' (and owners'): a member is refused, a visitor sent to sign in.</summary>
public sealed class OperationsAccessTests : BrowserTest
{
    protected override bool SignedIn => false;

    [Test]
    public async Task A_member_gets_403_and_a_visitor_is_sent_to_sign_in()
    {
        var visitor = await Page.GotoAsync("/healthchecks-ui");
        Assert.That(Page.Url, Does.Contain("/signin?ReturnUrl=%2Fhealthchecks-ui"));
        Assert.That(visitor!.Status, Is.EqualTo(200));

        var memberState = await AppUnderTest.SignedInStateAsync(AppUnderTest.MemberEmail);
        await using var memberContext = await AppUnderTest.Browser.NewContextAsync(AppUnderTest.ContextOptions(memberState));
        var memberPage = await memberContext.NewPageAsync();
        var member = await memberPage.GotoAsync("/healthchecks-ui");

        Assert.That(member!.Status, Is.EqualTo(403));
        await Expect(memberPage.Locator("main h1")).ToHaveTextAsync("Немає доступу");
    }
}
