using System.Net;
using Cimeika.Web.Infrastructure.Identity;
using Cimeika.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Accounts;

public sealed class SignInTests : AppTest
{
    protected override bool SignedIn => false;

    [TestCase("/kazkar")]
    [TestCase("/ci")]
    [TestCase("/account")]
    public async Task Pages_send_signed_out_visitors_to_sign_in(string path)
    {
        var response = await Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.OriginalString, Does.StartWith("http://localhost/signin?ReturnUrl=" + Uri.EscapeDataString(path)));
    }

    [Test]
    public async Task Data_api_answers_401_json_without_credentials_and_htmx_gets_a_redirect_header()
    {
        var api = await Client.GetAsync("/api/v1/kazkar/stories");
        var htmx = await Client.GetHtmxAsync("/kazkar?q=x");

        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((string?)(await api.JsonAsync())["detail"], Is.EqualTo("Not authenticated"));
        Assert.That(htmx.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(htmx.Headers.GetValues("HX-Redirect").Single(), Does.StartWith("http://localhost/signin"));
    }

    [TestCase("/health")]
    [TestCase("/ready")]
    [TestCase("/")]
    [TestCase("/api/v1/modules/")]
    [TestCase("/api/v1/modules/status")]
    [TestCase("/api/v1/modules/kazkar/status")]
    [TestCase("/api/v1/kazkar/")]
    [TestCase("/api/openapi.json")]
    [TestCase("/api/docs/index.html")]
    [TestCase("/signin")]
    [TestCase("/favicon.svg")]
    public async Task Public_endpoints_answer_without_sign_in(string path)
    {
        var response = await Client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
    }

    [Test]
    public async Task Correct_password_signs_in_and_returns_to_the_requested_page()
    {
        var token = await Client.AntiforgeryTokenAsync("/signin");

        var response = await Client.PostFormAsync("/signin", token,
            [new("Email", "OWNER@cimeika.test"), new("Password", SharedApp.OwnerPassword), new("ReturnUrl", "/kazkar?q=дуб")]);
        var page = await Client.GetAsync("/kazkar");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/kazkar?q=дуб"));
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("class=\"user-name\">Оксана</a>"));
    }

    [Test]
    public async Task Sign_in_never_redirects_off_site()
    {
        var token = await Client.AntiforgeryTokenAsync("/signin");

        var response = await Client.PostFormAsync("/signin", token,
            [new("Email", SharedApp.OwnerEmail), new("Password", SharedApp.OwnerPassword), new("ReturnUrl", "https://evil.example/")]);

        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/ci"));
    }

    [Test]
    public async Task Wrong_password_and_unknown_email_get_the_same_message()
    {
        var token = await Client.AntiforgeryTokenAsync("/signin");

        var wrong = await Client.PostFormAsync("/signin", token, [new("Email", SharedApp.OwnerEmail), new("Password", "not-the-password")]);
        var unknown = await Client.PostFormAsync("/signin", token, [new("Email", "nobody@cimeika.test"), new("Password", "whatever-password")]);

        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain("Невірна пошта або пароль."));
        Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("Невірна пошта або пароль."));
    }

    [Test]
    public async Task Five_failures_lock_the_account_for_fifteen_minutes_even_for_the_right_password()
    {
        var token = await Client.AntiforgeryTokenAsync("/signin");
        for (var i = 0; i < UserStore.MaxFailedAttempts; i++)
        {
            await Client.PostFormAsync("/signin", token, [new("Email", SharedApp.OwnerEmail), new("Password", $"wrong-password-{i}")]);
        }

        var locked = await Client.PostFormAsync("/signin", token, [new("Email", SharedApp.OwnerEmail), new("Password", SharedApp.OwnerPassword)]);
        var lockedMinutes = await TestDatabase.ScalarAsync<double>(SharedApp.Database,
            $"select extract(epoch from locked_until - now()) / 60 from users where id = {SharedApp.Owner.Id}");

        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await locked.Content.ReadAsStringAsync(), Does.Contain("вхід заблоковано на 15 хв"));
        Assert.That(lockedMinutes, Is.InRange(14.0, 15.0));
    }

    [Test]
    public async Task Missing_fields_are_422_with_messages()
    {
        var token = await Client.AntiforgeryTokenAsync("/signin");

        var response = await Client.PostFormAsync("/signin", token, [new("Email", "not-an-email"), new("Password", "")]);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(html, Does.Contain("id=\"email-error\" class=\"field-error\">Введіть адресу електронної пошти"));
        Assert.That(html, Does.Contain("id=\"password-error\" class=\"field-error\">Обов"));
    }

    [Test]
    public async Task Sign_in_without_antiforgery_token_is_refused()
    {
        await Client.GetAsync("/signin");

        var response = await Client.PostAsync("/signin", new FormUrlEncodedContent(
            [new("Email", SharedApp.OwnerEmail), new("Password", SharedApp.OwnerPassword)]));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Sign_in_has_its_own_stricter_rate_limit()
    {
        await using var strict = new CimeikaFactory(SharedApp.Database, settings: new Dictionary<string, string?> { ["RATE_LIMIT_AUTH_PER_MINUTE"] = "3" });
        using var client = strict.CreateBrowserClient();
        var token = await client.AntiforgeryTokenAsync("/signin");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.PostFormAsync("/signin", token, [new("Email", "nobody@cimeika.test"), new("Password", "wrong-password-x")])).StatusCode);
        }
        var other = await client.GetAsync("/api/v1/modules/");

        Assert.That(statuses, Is.EqualTo(new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests }),
            "the page GET counted as the first of three");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.OK), "other endpoints keep the general limit");
    }

    [Test]
    public async Task Setup_is_gone_once_a_user_exists()
    {
        Assert.That((await Client.GetAsync("/setup")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}

public sealed class SessionTests : AppTest
{
    [Test]
    public async Task Session_cookie_is_http_only_and_lax()
    {
        using var client = Factory.CreateBrowserClient();
        var token = await client.AntiforgeryTokenAsync("/signin");

        var response = await client.PostFormAsync("/signin", token, [new("Email", SharedApp.OwnerEmail), new("Password", SharedApp.OwnerPassword)]);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cimeika.session=", StringComparison.Ordinal));

        Assert.That(cookie, Does.Contain("httponly").IgnoreCase);
        Assert.That(cookie, Does.Contain("samesite=lax").IgnoreCase);
        Assert.That(cookie, Does.Contain("expires=").IgnoreCase, "persistent, sliding");
    }

    [Test]
    public async Task In_production_the_session_cookie_is_host_prefixed_secure_http_only_and_lax()
    {
        await using var production = new CimeikaFactory(SharedApp.Database, "Production", new Dictionary<string, string?>
        {
            ["SECRET_KEY"] = ProductionSettings.SecretKey,
            ["POSTGRES_PASSWORD"] = TestDatabase.Password,
        });
        using var client = production.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = true,
        });
        var token = await client.AntiforgeryTokenAsync("/signin");

        var response = await client.PostFormAsync("/signin", token, [new("Email", SharedApp.OwnerEmail), new("Password", SharedApp.OwnerPassword)]);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-cimeika=", StringComparison.Ordinal));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(cookie, Does.Contain("secure").IgnoreCase);
        Assert.That(cookie, Does.Contain("httponly").IgnoreCase);
        Assert.That(cookie, Does.Contain("samesite=lax").IgnoreCase);
        Assert.That(cookie, Does.Contain("path=/").IgnoreCase);
        Assert.That(cookie, Does.Not.Contain("domain=").IgnoreCase, "__Host- cookies have no Domain");
    }

    [Test]
    public async Task Sign_out_ends_the_session()
    {
        var token = await Client.AntiforgeryTokenAsync("/account");

        var response = await Client.PostFormAsync("/signout", token, []);
        var after = await Client.GetAsync("/kazkar");

        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/signin"));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task Sign_out_everywhere_ends_other_sessions_and_keeps_this_one()
    {
        using var other = Factory.CreateBrowserClient();
        await other.SignInAsync(SharedApp.OwnerEmail, SharedApp.OwnerPassword);
        var token = await Client.AntiforgeryTokenAsync("/account");

        var response = await Client.PostFormAsync("/account?handler=signouteverywhere", token, []);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await other.GetAsync("/kazkar")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the other session ended");
        Assert.That((await Client.GetAsync("/kazkar")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "this session continues");
    }

    [Test]
    public async Task Changing_the_password_checks_the_current_one_ends_other_sessions_and_the_new_one_works()
    {
        const string newPassword = "Sonyashnyk-na-dachi-7";
        using var other = Factory.CreateBrowserClient();
        await other.SignInAsync(SharedApp.OwnerEmail, SharedApp.OwnerPassword);
        var token = await Client.AntiforgeryTokenAsync("/account");
        try
        {
            var wrong = await Client.PostFormAsync("/account?handler=password", token,
                [new("CurrentPassword", "not-it-at-all"), new("NewPassword", newPassword), new("NewPasswordConfirm", newPassword)]);
            var weak = await Client.PostFormAsync("/account?handler=password", token,
                [new("CurrentPassword", SharedApp.OwnerPassword), new("NewPassword", "password123"), new("NewPasswordConfirm", "password123")]);
            var changed = await Client.PostFormAsync("/account?handler=password", token,
                [new("CurrentPassword", SharedApp.OwnerPassword), new("NewPassword", newPassword), new("NewPasswordConfirm", newPassword)]);

            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(await wrong.Content.ReadAsStringAsync(), Does.Contain("Поточний пароль невірний."));
            Assert.That(weak.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(await weak.Content.ReadAsStringAsync(), Does.Contain("надто поширений"));
            Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
            Assert.That((await other.GetAsync("/kazkar")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "other session ended");
            Assert.That((await Client.GetAsync("/kazkar")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "this session continues");
            using var fresh = Factory.CreateBrowserClient();
            await fresh.SignInAsync(SharedApp.OwnerEmail, newPassword);
        }
        finally
        {
            var users = Factory.Services.GetRequiredService<UserStore>();
            await users.ChangePasswordAsync((await users.FindByIdAsync(SharedApp.Owner.Id, CancellationToken.None))!,
                SharedApp.OwnerPassword, CancellationToken.None);
        }
    }
}

public sealed class ApiTokenTests : AppTest
{
    [Test]
    public async Task Token_is_shown_once_stored_hashed_works_as_bearer_and_stops_working_when_revoked()
    {
        var token = await Client.AntiforgeryTokenAsync("/account");

        var created = await Client.PostFormAsync("/account?handler=createtoken", token, [new("TokenName", "Мій скрипт")]);
        var html = await created.Content.ReadAsStringAsync();
        var secret = System.Text.RegularExpressions.Regex.Match(html, "id=\"new-token\">(cim_[A-Za-z0-9_-]+)<").Groups[1].Value;
        var listing = await Client.GetStringAsync("/account");
        var storedHash = await TestDatabase.ScalarAsync<string>(SharedApp.Database, "select encode(token_hash, 'hex') from api_tokens");

        Assert.That(secret, Has.Length.GreaterThan(40));
        Assert.That(created.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(listing, Does.Not.Contain(secret), "shown once");
        Assert.That(listing, Does.Contain("Мій скрипт"));
        Assert.That(storedHash, Is.EqualTo(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)))));

        using var api = Factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        var allowed = await api.PostJsonAsync("/api/v1/kazkar/stories", new { title = "Через API", content = "Без cookie й без antiforgery" });
        Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var tokenId = await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select id from api_tokens");
        var revoke = await Client.PostFormAsync($"/account?handler=revoketoken&id={tokenId}", token, []);
        var refused = await api.GetAsync("/api/v1/kazkar/stories");

        Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((string?)(await refused.JsonAsync())["detail"], Is.EqualTo("Invalid or revoked token"));
    }

    [Test]
    public async Task Unknown_token_is_401_json_with_www_authenticate()
    {
        using var api = Factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", "cim_made-up-token-value");

        var response = await api.GetAsync("/api/v1/kazkar/stories");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Does.StartWith("Bearer"));
        Assert.That((string?)(await response.JsonAsync())["detail"], Is.EqualTo("Invalid or revoked token"));
    }

    [Test]
    public async Task Cookie_session_api_writes_need_the_antiforgery_header()
    {
        var token = await Client.AntiforgeryTokenAsync("/kazkar");

        var without = await Client.PostJsonAsync("/api/v1/kazkar/stories", new { title = "CSRF", content = "x" });
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/kazkar/stories")
        {
            Content = Http.RawJson("{\"title\":\"З токеном\",\"content\":\"x\"}"),
        };
        request.Headers.Add("RequestVerificationToken", token);
        var with = await Client.SendAsync(request);

        Assert.That(without.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)(await without.JsonAsync())["detail"], Does.Contain("antiforgery"));
        Assert.That(with.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await TestDatabase.ScalarAsync<string>(SharedApp.Database, "select string_agg(title, ',') from kazkar_stories"), Is.EqualTo("З токеном"));
    }

    [Test]
    public async Task Token_of_a_removed_member_stops_working()
    {
        var member = (await Factory.Services.GetRequiredService<UserStore>().CreateAsync(1, "kid@cimeika.test", "Дитина", "Kolyskova-pisnya-5", Roles.Member, CancellationToken.None))!;
        var (_, secret) = await Factory.Services.GetRequiredService<TokenStore>().CreateAsync(member.Id, "t", CancellationToken.None);
        using var api = Factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.That((await api.GetAsync("/api/v1/kazkar/stories")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await Factory.Services.GetRequiredService<UserStore>().RemoveAsync(member.FamilyId, member.Id, SharedApp.Owner.Id, CancellationToken.None);

        Assert.That((await api.GetAsync("/api/v1/kazkar/stories")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}

public sealed class MembersTests : AppTest
{
    private const string MemberPassword = "Kolyskova-pisnya-5";

    private async Task<HttpResponseMessage> AddAsync(string email, string password, string role = "member")
    {
        var token = await Client.AntiforgeryTokenAsync("/account/members");
        return await Client.PostFormAsync("/account/members?handler=add", token,
            [new("DisplayName", "Тарас"), new("Email", email), new("Password", password), new("Role", role)]);
    }

    [Test]
    public async Task Owner_adds_a_member_who_can_sign_in_but_not_manage_members()
    {
        var added = await AddAsync("taras@cimeika.test", MemberPassword);
        using var member = Factory.CreateBrowserClient();
        await member.SignInAsync("taras@cimeika.test", MemberPassword);

        Assert.That(added.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await Client.GetStringAsync("/account/members"), Does.Contain("taras@cimeika.test"));
        Assert.That((await member.GetAsync("/kazkar")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var forbidden = await member.GetAsync("/account/members");
        Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await forbidden.Content.ReadAsStringAsync(), Does.Contain("Немає доступу"));
    }

    [Test]
    public async Task Weak_password_duplicate_email_and_unknown_role_are_refused_with_messages()
    {
        var weak = await AddAsync("a@cimeika.test", "1234567890");
        var shortOne = await AddAsync("b@cimeika.test", "short");
        var duplicate = await AddAsync(SharedApp.OwnerEmail.ToUpperInvariant(), MemberPassword);
        var role = await AddAsync("c@cimeika.test", MemberPassword, "admin");

        Assert.That(weak.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await weak.Content.ReadAsStringAsync(), Does.Contain("надто поширений"));
        Assert.That(await shortOne.Content.ReadAsStringAsync(), Does.Contain("Щонайменше 10 символів"));
        Assert.That(await duplicate.Content.ReadAsStringAsync(), Does.Contain("Уже використовується"));
        Assert.That(role.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select count(*) from users"), Is.EqualTo(1));
    }

    [Test]
    public async Task Removing_a_member_ends_their_session_and_the_owner_cannot_remove_themself()
    {
        await AddAsync("taras@cimeika.test", MemberPassword);
        using var member = Factory.CreateBrowserClient();
        await member.SignInAsync("taras@cimeika.test", MemberPassword);
        var memberId = await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select id from users where email = 'taras@cimeika.test'");
        var token = await Client.AntiforgeryTokenAsync("/account/members");

        var removed = await Client.PostFormAsync($"/account/members?handler=remove&id={memberId}", token, []);
        var self = await Client.PostFormAsync($"/account/members?handler=remove&id={SharedApp.Owner.Id}", token, []);

        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That((await member.GetAsync("/kazkar")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(self.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_member_of_another_family_sees_none_of_our_stories()
    {
        await TestDatabase.ExecuteAsync(SharedApp.Database, "insert into kazkar_stories (family_id, title, content) values (1, 'Наша таємниця', 'x')");
        var storyId = await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select max(id) from kazkar_stories");
        var otherFamily = await TestDatabase.ScalarAsync<long>(SharedApp.Database, "insert into families (name) values ('Сусіди') returning id");
        await Factory.Services.GetRequiredService<UserStore>().CreateAsync(otherFamily, "neighbour@cimeika.test", "Сусід", MemberPassword, Roles.Owner, CancellationToken.None);
        using var neighbour = Factory.CreateBrowserClient();
        await neighbour.SignInAsync("neighbour@cimeika.test", MemberPassword);

        Assert.That(await neighbour.GetStringAsync("/kazkar"), Does.Not.Contain("Наша таємниця"));
        Assert.That((await neighbour.GetAsync($"/kazkar/{storyId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await neighbour.GetStringAsync("/account/members"), Does.Not.Contain(SharedApp.OwnerEmail));
    }
}
