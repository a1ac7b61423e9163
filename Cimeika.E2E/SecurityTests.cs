using Microsoft.Playwright;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace Cimeika.E2E;

/// <summary>The Content-Security-Policy in a real browser, and what a rate-limited htmx request shows.</summary>
public sealed class SecurityTests : BrowserTest
{
    /// <summary>Any violation of the policy becomes a console error, whatever Chromium itself logs.</summary>
    private Task ReportPolicyViolationsAsync() => Page.AddInitScriptAsync(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))");

    [Test]
    public async Task Pages_and_htmx_run_under_the_content_security_policy_without_violations()
    {
        await ReportPolicyViolationsAsync();
        await AppUnderTest.ExecuteAsync("insert into kazkar_stories (family_id, title, content, story_type) values (1, 'Верба', 'Біля ставу', 'legend')");

        var response = await Page.GotoAsync("/kazkar");
        await Page.Locator("input[name=q]").PressSequentiallyAsync("вер", new() { Delay = 50 });
        await Expect(Page.Locator(".story-list h2")).ToHaveTextAsync(["Верба"]);
        await Page.ClickAsync("a.ci-button");
        await Expect(Page.Locator("#ci-overlay")).ToBeVisibleAsync();

        Assert.That(await response!.HeaderValueAsync("content-security-policy"), Does.Contain("script-src 'self';"));
        Assert.That(await response.HeaderValueAsync("x-frame-options"), Is.EqualTo("DENY"));
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task Swagger_ui_works_under_its_own_policy()
    {
        await ReportPolicyViolationsAsync();

        await Page.GotoAsync("/api/docs");

        await Expect(Page.Locator(".swagger-ui .info .title")).ToContainTextAsync("Cimeika API");
        await Expect(Page.Locator(".opblock-tag-section").First).ToBeVisibleAsync();
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task A_rate_limited_htmx_request_shows_a_visible_message_with_the_wait()
    {
        // The server's 429 (its shape is checked by the integration tests) stands in for a real limit,
        // which this shared app has set very high.
        await Page.RouteAsync(url => url.Contains("/kazkar?q="), route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 429,
            Headers = new Dictionary<string, string> { ["Retry-After"] = "42", ["Content-Type"] = "text/html; charset=utf-8" },
            Body = "<p class=\"notice error\" role=\"alert\">Забагато запитів. Спробуйте знову за 42 с.</p>",
        }));
        await Page.GotoAsync("/kazkar");

        await Page.Locator("input[name=q]").PressSequentiallyAsync("вер", new() { Delay = 50 });

        var notice = Page.Locator("#notices [role=alert]");
        await Expect(notice).ToHaveTextAsync("Забагато запитів. Спробуйте знову за 42 с.×");
        await Expect(notice.Locator("button")).ToHaveAttributeAsync("aria-label", "Закрити");
        await notice.Locator("button").ClickAsync();
        await Expect(notice).ToHaveCountAsync(0);
    }
}
