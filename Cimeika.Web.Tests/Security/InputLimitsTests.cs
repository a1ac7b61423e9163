using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Security;

public sealed partial class InputLimitsTests : AppTest
{
    private const int Mb = 1024 * 1024;

    // Script, SQL, emoji, right-to-left marks and override, a 10,000-character line.
    private const string HostileTitle = "<script>alert('t')</script> '; DROP TABLE kazkar_stories; -- 😀 \u200Fמשפחה\u200E \u202Eevil";
    private static readonly string HostileContent =
        "<script>alert(\"c\")</script>\n\n' OR 1=1; -- \" ; DELETE FROM families; /*\n\n👨‍👩‍👧 родина \u200Fعائلة\u200E\n\n"
        + string.Concat(Enumerable.Repeat("довгий-рядок ", 770))[..10_000];
    private const string HostileTag = "<img src=x onerror=alert(1)>";
    private const string HostileLocation = "Київ\"><svg onload=alert(1)>";

    private Task<long> CountAsync() => TestDatabase.ScalarAsync<long>(SharedApp.Database, "select count(*) from kazkar_stories");

    private static string Json(int bytes) => $"{{\"title\":\"big\",\"content\":\"{new string('x', bytes)}\"}}";

    [Test]
    public async Task A_2_mb_json_post_is_refused_with_413_and_nothing_is_saved()
    {
        var response = await Client.PostAsync("/api/v1/kazkar/stories", Http.RawJson(Json(2 * Mb)));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{\"detail\":\"Request body too large: the limit is 1048576 bytes\"}"));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task A_form_post_over_the_limit_gets_the_friendly_413_page_and_nothing_is_saved()
    {
        var token = await Client.AntiforgeryTokenAsync("/kazkar");

        var response = await Client.PostFormAsync("/kazkar", token,
            [new("Form.Title", "big"), new("Form.Content", new string('x', Mb + 1)), new("Form.StoryType", "story")]);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That(html, Does.Contain("<h1>Забагато даних</h1>"));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task The_import_page_takes_uploads_over_the_app_wide_limit_up_to_its_own()
    {
        var token = await Client.AntiforgeryTokenAsync("/kazkar/import");
        // Three files of ten 40,000-character stories each: 1.2 MB, each file under the 512 KB file limit.
        var files = Enumerable.Range(0, 3).Select(f => string.Concat(Enumerable.Range(0, 10).Select(d =>
            $"---\ntitle: Історія {f}-{d}\ntype: story\nsource: bulk/{f}/{d}\n---\n\n{new string('a', 40_000)}\n\n"))).ToList();

        var accepted = await Client.PostAsync("/kazkar/import", Upload(token, files));
        var tooLarge = await Client.PostAsync("/kazkar/import", Upload(token, Enumerable.Repeat(new string('b', 400_000), 27).ToList()));

        Assert.That(files.Sum(f => f.Length), Is.GreaterThan(Mb));
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await accepted.Content.ReadAsStringAsync(), Does.Contain("Створено: 30, оновлено: 0"));
        Assert.That(tooLarge.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), "over 10 MB");
        Assert.That(await CountAsync(), Is.EqualTo(30));
    }

    private static MultipartFormDataContent Upload(string token, IReadOnlyList<string> files)
    {
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        for (var i = 0; i < files.Count; i++) form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(files[i])), "files", $"bulk-{i}.md");
        return form;
    }

    [Test]
    public async Task Hostile_text_through_the_page_form_is_stored_literally_and_shown_encoded()
    {
        var token = await Client.AntiforgeryTokenAsync("/kazkar");

        var created = await Client.PostFormAsync("/kazkar", token,
        [
            new("Form.Title", HostileTitle), new("Form.Content", HostileContent), new("Form.StoryType", "memory"),
            new("Form.Tags", HostileTag), new("Form.Participants", "Робert'); DROP TABLE families;--"), new("Form.Location", HostileLocation),
        ]);
        var id = await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select max(id) from kazkar_stories");
        var details = await Client.GetAsync($"/kazkar/{id}");
        var list = await Client.GetAsync("/kazkar");

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        await AssertStoredLiterallyAsync(id);
        foreach (var page in new[] { details, list })
        {
            var html = await page.Content.ReadAsStringAsync();
            Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            AssertShownEncoded(html);
            Assert.That(WebUtility.HtmlDecode(html), Does.Contain(HostileTitle));
        }
        var detailsText = WebUtility.HtmlDecode(await details.Content.ReadAsStringAsync());
        Assert.That(detailsText, Does.Contain(HostileContent.Split("\n\n")[^1]), "the 10,000-character line");
        Assert.That(detailsText, Does.Contain("<script>alert(\"c\")</script>"));
        Assert.That(detailsText, Does.Contain("👨‍👩‍👧 родина \u200Fعائلة\u200E"));
        Assert.That(detailsText, Does.Contain("#" + HostileTag));
    }

    [Test]
    public async Task Hostile_text_through_the_api_is_stored_and_returned_literally()
    {
        await Client.UseOwnerTokenAsync();
        var created = await Client.PostJsonAsync("/api/v1/kazkar/stories", new
        {
            title = HostileTitle, content = HostileContent, story_type = "fact", tags = new[] { HostileTag },
            participants = new[] { "Роберт'); DROP TABLE families;--" }, location = HostileLocation,
        });
        var body = await created.JsonAsync();
        var id = body["id"]!.GetValue<long>();
        var read = await (await Client.GetAsync($"/api/v1/kazkar/stories/{id}")).JsonAsync();

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(read["title"]!.GetValue<string>(), Is.EqualTo(HostileTitle));
        Assert.That(read["content"]!.GetValue<string>(), Is.EqualTo(HostileContent));
        Assert.That(read["tags"]![0]!.GetValue<string>(), Is.EqualTo(HostileTag));
        Assert.That(read["location"]!.GetValue<string>(), Is.EqualTo(HostileLocation));
        await AssertStoredLiterallyAsync(id);
        AssertShownEncoded(await Client.GetStringAsync($"/kazkar/{id}"));
    }

    [Test]
    public async Task Nul_characters_which_postgresql_cannot_store_are_dropped_from_json_text()
    {
        await Client.UseOwnerTokenAsync();
        var created = await Client.PostJsonAsync("/api/v1/kazkar/stories", new { title = "A\0B", content = "x\0y", tags = new[] { "t\0" } });

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await TestDatabase.ScalarAsync<string>(SharedApp.Database,
                "select title || '|' || content || '|' || array_to_string(tags, ',') from kazkar_stories"),
            Is.EqualTo("AB|xy|t"));
    }

    [Test]
    public async Task A_form_the_server_cannot_read_is_a_400_never_a_500()
    {
        // ASP.NET Core's form reader refuses NUL characters.
        var token = await Client.AntiforgeryTokenAsync("/kazkar");

        var story = await Client.PostFormAsync("/kazkar", token, [new("Form.Title", "C\0"), new("Form.Content", "z"), new("Form.StoryType", "story")]);
        var culture = await Client.PostFormAsync("/culture", token, [new("culture", "en"), new("returnUrl", "/ci\0")]);

        Assert.That(story.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(culture.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [TestCase("<script>alert(1)</script>")]
    [TestCase("'; DROP TABLE kazkar_stories; --")]
    [TestCase("' OR '1'='1")]
    [TestCase("%00\u0000\u200F😀")]
    [TestCase("\\ :* & | ! ( ) <->")]
    public async Task Hostile_searches_never_fail(string query)
    {
        var page = await Client.GetAsync($"/kazkar?q={Uri.EscapeDataString(query)}");
        var fragment = await Client.GetHtmxAsync($"/kazkar?q={Uri.EscapeDataString(query)}");
        var api = await Client.GetAsync($"/api/v1/kazkar/stories?q={Uri.EscapeDataString(query)}&tag={Uri.EscapeDataString(query)}");
        var longQuery = await Client.GetAsync($"/kazkar?q={new string('я', 10_000)}");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(fragment.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(api.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(longQuery.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Not.Contain("<script>alert(1)"));
        Assert.That(await TestDatabase.ScalarAsync<bool>(SharedApp.Database, "select to_regclass('kazkar_stories') is not null"), Is.True);
    }

    private static async Task AssertStoredLiterallyAsync(long id)
    {
        var stored = await TestDatabase.ScalarAsync<string>(SharedApp.Database,
            "select title || '\u0001' || content || '\u0001' || array_to_string(tags, '|') || '\u0001' || location from kazkar_stories where id = @id",
            ("id", id));
        Assert.That(stored, Is.EqualTo(string.Join('\u0001', HostileTitle, HostileContent, HostileTag, HostileLocation)));
        Assert.That(await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select count(*) from families"), Is.EqualTo(1));
    }

    private static void AssertShownEncoded(string html)
    {
        Assert.That(html, Does.Not.Contain("<script>alert"));
        Assert.That(html, Does.Not.Contain("<img src=x"));
        Assert.That(html, Does.Not.Contain("<svg onload"));
        Assert.That(ScriptTags().Matches(html).Count, Is.EqualTo(2), "only the layout's two scripts");
    }

    [GeneratedRegex("<script\\b")]
    private static partial Regex ScriptTags();
}

/// <summary>A smaller configured limit applies to every endpoint without a limit of its own.</summary>
public sealed class ConfiguredBodyLimitTests
{
    [Test]
    public async Task Max_request_body_bytes_sets_the_limit()
    {
        await using var factory = new CimeikaFactory(SharedApp.Database, settings: new Dictionary<string, string?> { ["MAX_REQUEST_BODY_BYTES"] = "4096" });
        using var client = factory.CreateClient();
        await client.UseOwnerTokenAsync();

        var over = await client.PostAsync("/api/v1/kazkar/stories", Http.RawJson($"{{\"title\":\"t\",\"content\":\"{new string('x', 5000)}\"}}"));
        var under = await client.PostAsync("/api/v1/kazkar/stories", Http.RawJson($"{{\"title\":\"t\",\"content\":\"{new string('x', 3000)}\"}}"));

        Assert.That(over.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
        Assert.That((await over.JsonAsync())["detail"]?.GetValue<string>(), Is.EqualTo("Request body too large: the limit is 4096 bytes"));
        Assert.That(under.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await TestDatabase.ExecuteAsync(SharedApp.Database, "truncate kazkar_stories restart identity");
    }
}

/// <summary>On Kestrel, where a body without Content-Length is cut off while it is read.</summary>
public sealed class KestrelBodyLimitTests
{
    private AppProcess _app = null!;
    private HttpClient _client = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var url = $"http://127.0.0.1:{AppProcess.FreePort()}";
        _app = AppProcess.Start(new Dictionary<string, string?>
        {
            ["ENVIRONMENT"] = "development",
            ["POSTGRES_HOST"] = TestDatabase.Host,
            ["POSTGRES_PORT"] = TestDatabase.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["POSTGRES_USER"] = TestDatabase.User,
            ["POSTGRES_PASSWORD"] = TestDatabase.Password,
            ["POSTGRES_DB"] = SharedApp.Database,
        }, $"--urls {url}");
        _client = new HttpClient { BaseAddress = new Uri(url) };
        await _client.UseOwnerTokenAsync();
        await _app.WaitUntilListeningAsync($"{url}/health");
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private Task<long> CountAsync() => TestDatabase.ScalarAsync<long>(SharedApp.Database, "select count(*) from kazkar_stories");

    [Test]
    public async Task A_chunked_json_body_over_the_limit_is_cut_off_with_413()
    {
        var before = await CountAsync();
        var body = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($"{{\"title\":\"t\",\"content\":\"{new string('x', 2 * 1024 * 1024)}\"}}")));
        body.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/kazkar/stories") { Content = body };
        request.Headers.TransferEncodingChunked = true;

        var response = await _client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), _app.Output);
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("{\"detail\":\"Request body too large: the limit is 1048576 bytes\"}"));
        Assert.That(await CountAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_browser_form_over_the_limit_gets_the_friendly_page_not_a_server_error()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/kazkar")
        {
            Content = new FormUrlEncodedContent([new("Form.Title", "big"), new("Form.Content", new string('x', 2 * 1024 * 1024))]),
        };
        request.Headers.Accept.ParseAdd("text/html");

        var response = await _client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge), _app.Output);
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<h1>Забагато даних</h1>"));
    }
}
