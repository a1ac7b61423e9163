using System.Diagnostics;
using System.Text.RegularExpressions;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace Cimeika.E2E;

public sealed class SignInTests : BrowserTest
{
    protected override bool SignedIn => false;

    [Test]
    public async Task Visitor_signs_in_returns_to_the_page_and_signs_out()
    {
        await Page.GotoAsync("/kazkar");
        await Expect(Page).ToHaveURLAsync(new Regex("/signin\\?ReturnUrl=%2Fkazkar$"));

        await Page.FillAsync("#email", AppUnderTest.OwnerEmail);
        await Page.FillAsync("#password", "definitely-not-it");
        await Page.ClickAsync("main form button[type=submit]");
        await Expect(Page.Locator(".form-error")).ToHaveTextAsync("Невірна пошта або пароль.");

        await Page.FillAsync("#password", AppUnderTest.Password);
        await Page.ClickAsync("main form button[type=submit]");
        await Expect(Page).ToHaveURLAsync(new Regex("/kazkar$"));
        await Expect(Page.Locator(".user-name")).ToHaveTextAsync("Оксана");

        await Page.ClickAsync(".user-menu button");
        await Expect(Page).ToHaveURLAsync(new Regex("/signin$"));
        await Page.GotoAsync("/kazkar");
        await Expect(Page).ToHaveURLAsync(new Regex("/signin"));
        Assert.That(ConsoleErrors, Has.Count.EqualTo(1).And.All.StartsWith("Failed to load resource: the server responded with a status of 401"),
            "only the refused sign-in");
    }

    [Test]
    public async Task A_member_cannot_open_the_members_page_the_owner_manages()
    {
        var memberState = await AppUnderTest.SignedInStateAsync(AppUnderTest.MemberEmail);
        await using var memberContext = await AppUnderTest.Browser.NewContextAsync(AppUnderTest.ContextOptions(memberState));
        var memberPage = await memberContext.NewPageAsync();

        var response = await memberPage.GotoAsync("/account/members");

        Assert.That(response!.Status, Is.EqualTo(403));
        await Expect(memberPage.Locator("main h1")).ToHaveTextAsync("Немає доступу");
        await memberPage.GotoAsync("/account");
        await Expect(memberPage.Locator("a[href='/account/members']")).ToHaveCountAsync(0);
    }
}

public sealed class OwnerAccountTests : BrowserTest
{
    [Test]
    public async Task Owner_sees_the_members_and_creates_an_api_token_shown_once()
    {
        await Page.GotoAsync("/account/members");
        await Expect(Page.Locator("main table")).ToContainTextAsync(AppUnderTest.MemberEmail);

        await Page.GotoAsync("/account");
        await Page.FillAsync("#tokenname", "Резервна копія");
        await Page.ClickAsync("#tokens form button[type=submit]");
        var token = await Page.Locator("#new-token").InnerTextAsync();
        Assert.That(token, Does.Match("^cim_"));

        var api = await Page.APIRequest.GetAsync("/api/v1/kazkar/stats", new() { Headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" } });
        Assert.That(api.Status, Is.EqualTo(200));

        await Page.GotoAsync("/account");
        await Expect(Page.Locator("#new-token")).ToHaveCountAsync(0);
        await Expect(Page.Locator("#tokens table")).ToContainTextAsync("Резервна копія");
        Assert.That(ConsoleErrors, Is.Empty);
    }
}

/// <summary>A fresh instance (its own database and process): the first visit creates the family and its owner.</summary>
public sealed class FirstRunTests : BrowserTest
{
    protected override bool SignedIn => false;

    [Test]
    public async Task First_visit_sets_up_the_family_and_signs_the_owner_in()
    {
        var database = $"cimeika_e2e_fresh_{Guid.NewGuid():N}"[..30];
        await AppUnderTest.CreateDatabaseAsync(database);
        var url = $"https://127.0.0.1:{FreePort()}";
        using var process = Process.Start(AppUnderTest.AppStart(AppUnderTest.AppDirectory, database, $"--urls {url}"))!;
        try
        {
            await WaitForReadyAsync(url);

            await Page.GotoAsync($"{url}/");
            await Expect(Page).ToHaveURLAsync(new Regex("/setup$"));
            await Page.FillAsync("#familyname", "Шевченки");
            await Page.FillAsync("#displayname", "Ганна");
            await Page.FillAsync("#email", "hanna@cimeika.test");
            await Page.FillAsync("#password", "Pysanka-na-Velykden-3");
            await Page.FillAsync("#passwordconfirm", "Pysanka-na-Velykden-3");
            await Page.ClickAsync("main form button[type=submit]");

            await Expect(Page).ToHaveURLAsync(new Regex("/ci$"));
            await Expect(Page.Locator(".user-name")).ToHaveTextAsync("Ганна");
            await Expect(Page.Locator(".notices .notice")).ToHaveTextAsync("Вітаємо, Ганна!");
            Assert.That(ConsoleErrors, Is.Empty);
            var again = await Page.GotoAsync($"{url}/setup");
            Assert.That(again!.Status, Is.EqualTo(404));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await AppUnderTest.DropDatabaseAsync(database);
        }
    }

    private static async Task WaitForReadyAsync(string url)
    {
        using var http = AppUnderTest.CreateHttpClient();
        for (var i = 0; i < 240; i++)
        {
            try
            {
                if ((await http.GetAsync($"{url}/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{url} did not become ready");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
