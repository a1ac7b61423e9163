using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace Cimeika.E2E;

public sealed class NastrijTests : BrowserTest
{
    [Test]
    public async Task Recorded_mood_appears_with_statistics_without_a_reload()
    {
        await Page.GotoAsync("/nastrij");
        await Page.EvaluateAsync("window.__notReloaded = true");

        await Page.CheckAsync("input[name='Form.Mood'][value=happy]");
        await Page.Locator("#mood-intensity").FillAsync("8");
        await Expect(Page.Locator("#mood-intensity-value")).ToHaveTextAsync("8");
        await Page.FillAsync("#mood-context", "на прогулянці");
        await Page.ClickAsync("#mood-form button[type=submit]");

        await Expect(Page.Locator("#mood-form .notice")).ToHaveTextAsync("Настрій записано");
        await Expect(Page.Locator(".mood-entry")).ToHaveCountAsync(1);
        await Expect(Page.Locator("[data-stat=count]")).ToHaveTextAsync("1");
        await Expect(Page.Locator("[data-stat=most-common]")).ToHaveTextAsync("Радість");
        await Expect(Page.Locator("svg.distribution rect[data-mood=happy]")).ToHaveAttributeAsync("data-count", "1");
        Assert.That(await Page.EvaluateAsync<bool>("window.__notReloaded === true"), Is.True);
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task A_member_cannot_see_the_owners_moods()
    {
        await Page.GotoAsync("/nastrij");
        await Page.CheckAsync("input[name='Form.Mood'][value=anxious]");
        await Page.FillAsync("#mood-notes", "Особисте");
        await Page.ClickAsync("#mood-form button[type=submit]");
        await Expect(Page.Locator(".mood-entry")).ToHaveCountAsync(1);

        var memberState = await AppUnderTest.SignedInStateAsync(AppUnderTest.MemberEmail);
        await using var memberContext = await AppUnderTest.Browser.NewContextAsync(AppUnderTest.ContextOptions(memberState));
        var memberPage = await memberContext.NewPageAsync();
        await memberPage.GotoAsync("/nastrij");

        await Expect(memberPage.Locator(".mood-entry")).ToHaveCountAsync(0);
        await Expect(memberPage.Locator("main")).Not.ToContainTextAsync("Особисте");
        var direct = await memberPage.GotoAsync("/nastrij/1/edit");
        Assert.That(direct!.Status, Is.EqualTo(404));
    }
}
