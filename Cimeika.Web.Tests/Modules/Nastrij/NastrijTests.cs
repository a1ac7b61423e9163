using System.Net;
using System.Text.RegularExpressions;
using Cimeika.Web.Infrastructure.Identity;
using Cimeika.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Modules.Nastrij;

public sealed class NastrijApiTests : AppTest
{
    private const string Emotions = "/api/v1/nastrij/emotions";

    protected override bool SignedIn => false;

    [SetUp]
    public async Task UseTokenAsync() => await Client.UseOwnerTokenAsync();

    [Test]
    public async Task Create_returns_the_earlier_shape_and_get_list_update_delete_work()
    {
        var created = await Client.PostJsonAsync(Emotions, new
        {
            emotion_state = "happy", intensity = 7, context = "вдома", triggers = new[] { "сонце", "кава" }, notes = "Гарний ранок",
            felt_at = "2026-11-28T08:30:00+02:00", tags = new[] { "ранок" },
        });
        var body = await created.JsonAsync();
        var id = (long)body["id"]!;

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((string?)body["module"], Is.EqualTo("nastrij"));
        Assert.That((string?)body["emotion_state"], Is.EqualTo("happy"));
        Assert.That((int?)body["intensity"], Is.EqualTo(7));
        Assert.That(body["triggers"]!.AsArray().Select(t => (string?)t), Is.EqualTo(new[] { "сонце", "кава" }));
        Assert.That(DateTime.Parse((string)body["felt_at"]!, null, System.Globalization.DateTimeStyles.AdjustToUniversal),
            Is.EqualTo(new DateTime(2026, 11, 28, 6, 30, 0)));

        var updated = await (await Client.PutJsonAsync($"{Emotions}/{id}", new { intensity = 9 })).JsonAsync();
        Assert.That((int?)updated["intensity"], Is.EqualTo(9));
        Assert.That((string?)updated["notes"], Is.EqualTo("Гарний ранок"), "only the fields sent change");

        var list = (await (await Client.GetAsync($"{Emotions}?emotion_state=happy")).JsonAsync()).AsArray();
        Assert.That(list.Select(e => (long?)e!["id"]), Is.EqualTo(new long?[] { id }));
        Assert.That((await (await Client.GetAsync($"{Emotions}?emotion_state=sad")).JsonAsync()).AsArray(), Is.Empty);

        Assert.That((string?)(await (await Client.DeleteAsync($"{Emotions}/{id}")).JsonAsync())["message"], Is.EqualTo("Emotion deleted successfully"));
        Assert.That((await Client.GetAsync($"{Emotions}/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Invalid_entry_is_422_with_details_and_saves_nothing()
    {
        var response = await Client.PostJsonAsync(Emotions, new { emotion_state = "bored", intensity = 11, triggers = "x", felt_at = "yesterday" });
        var byField = (await response.JsonAsync())["detail"]!.AsArray().ToDictionary(d => (string)d!["loc"]![1]!, d => (string)d!["type"]!);
        var missingIntensity = await Client.PostJsonAsync(Emotions, new { emotion_state = "calm" });
        var fractional = await Client.PostJsonAsync(Emotions, new { emotion_state = "calm", intensity = 2.5 });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(byField, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["emotion_state"] = "invalid_choice", ["intensity"] = "out_of_range", ["triggers"] = "invalid_type", ["felt_at"] = "invalid_date",
        }));
        Assert.That((string?)(await missingIntensity.JsonAsync())["detail"]![0]!["type"], Is.EqualTo("required"));
        Assert.That((string?)(await fractional.JsonAsync())["detail"]![0]!["type"], Is.EqualTo("invalid_type"));
        Assert.That(await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select count(*) from nastrij_entries"), Is.Zero);
    }

    [Test]
    public async Task Stats_summarise_the_last_days()
    {
        foreach (var (mood, intensity, hoursAgo) in new[] { ("happy", 8, 2), ("happy", 6, 30), ("sad", 4, 50) })
        {
            await Client.PostJsonAsync(Emotions, new { emotion_state = mood, intensity, felt_at = DateTime.UtcNow.AddHours(-hoursAgo).ToString("O") });
        }

        var stats = await (await Client.GetAsync("/api/v1/nastrij/stats?days=7")).JsonAsync();
        var badDays = await Client.GetAsync("/api/v1/nastrij/stats?days=0");

        Assert.That((int?)stats["count"], Is.EqualTo(3));
        Assert.That((double?)stats["average_intensity"], Is.EqualTo(6.0));
        Assert.That((string?)stats["most_common_mood"], Is.EqualTo("happy"));
        Assert.That((int?)stats["distribution"]!["sad"], Is.EqualTo(1));
        Assert.That((string?)stats["trend"], Is.EqualTo("insufficient_data"));
        Assert.That(badDays.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }
}

/// <summary>Moods are private to their author, even inside the family.</summary>
public sealed class NastrijPrivacyTests : AppTest
{
    private const string MemberPassword = "Kolyskova-pisnya-5";

    [Test]
    public async Task Another_member_of_the_family_sees_none_of_my_moods_by_page_or_api()
    {
        var token = await Client.AntiforgeryTokenAsync("/nastrij");
        await Client.PostFormAsync("/nastrij", token, [new("Form.Mood", "anxious"), new("Form.Intensity", "8"), new("Form.Notes", "Таємна тривога")]);
        var entryId = await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select max(id) from nastrij_entries");
        var member = (await Factory.Services.GetRequiredService<UserStore>()
            .CreateAsync(SharedApp.Owner.FamilyId, "kid@cimeika.test", "Дитина", MemberPassword, Roles.Member, CancellationToken.None))!;
        using var memberClient = Factory.CreateBrowserClient();
        await memberClient.SignInAsync("kid@cimeika.test", MemberPassword);
        var (_, memberToken) = await Factory.Services.GetRequiredService<TokenStore>().CreateAsync(member.Id, "t", CancellationToken.None);
        using var memberApi = Factory.CreateClient();
        memberApi.DefaultRequestHeaders.Authorization = new("Bearer", memberToken);

        var page = await memberClient.GetStringAsync("/nastrij");
        Assert.That(page, Does.Not.Contain("Таємна тривога"));
        Assert.That(page, Does.Contain("Поки що немає записів."));
        Assert.That((await memberClient.GetAsync($"/nastrij/{entryId}/edit")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await memberClient.GetAsync($"/nastrij/{entryId}/delete")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await memberApi.GetAsync($"/api/v1/nastrij/emotions/{entryId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await memberApi.PutJsonAsync($"/api/v1/nastrij/emotions/{entryId}", new { intensity = 1 })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await memberApi.DeleteAsync($"/api/v1/nastrij/emotions/{entryId}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await (await memberApi.GetAsync("/api/v1/nastrij/emotions")).JsonAsync()).AsArray(), Is.Empty);
        Assert.That((int?)(await (await memberApi.GetAsync("/api/v1/nastrij/stats")).JsonAsync())["count"], Is.Zero);
        Assert.That(await TestDatabase.ScalarAsync<int>(SharedApp.Database, $"select intensity from nastrij_entries where id = {entryId}"), Is.EqualTo(8));
    }
}

public sealed class NastrijPageTests : AppTest
{
    [Test]
    public async Task Recording_a_mood_with_the_plain_form_shows_it_and_its_statistics()
    {
        var token = await Client.AntiforgeryTokenAsync("/nastrij");

        var response = await Client.PostFormAsync("/nastrij", token,
            [new("Form.Mood", "calm"), new("Form.Intensity", "6"), new("Form.Context", "у парку"), new("Form.Triggers", "прогулянка, осінь")]);
        var html = await Client.GetStringAsync("/nastrij");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(html, Does.Contain("Настрій записано"));
        Assert.That(html, Does.Contain("data-mood=\"calm\""));
        Assert.That(html, Does.Contain("· у парку"));
        Assert.That(html, Does.Contain("data-stat=\"count\">1<"));
        Assert.That(html, Does.Contain("data-stat=\"most-common\">Спокій<"));
        Assert.That(html, Does.Match("<rect class=\"bar mood-calm\"[^>]*data-count=\"1\""));
        Assert.That(html, Does.Match("<circle class=\"point\"[^>]*data-score=\"6\""));
        Assert.That(html, Does.Not.Contain("<script>"), "charts are plain SVG");
    }

    [Test]
    public async Task Invalid_mood_form_is_422_with_messages_and_saves_nothing()
    {
        var token = await Client.AntiforgeryTokenAsync("/nastrij");

        var response = await Client.PostFormAsync("/nastrij", token, [new("Form.Intensity", "12"), new("Form.FeltAt", "завтра")]);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(html, Does.Contain("Допустимі значення"), "mood is required");
        Assert.That(html, Does.Contain("Число від 1 до 10"));
        Assert.That(html, Does.Contain("Дата у форматі"));
        Assert.That(await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select count(*) from nastrij_entries"), Is.Zero);
    }

    [Test]
    public async Task Htmx_record_returns_the_form_and_triggers_a_journal_refresh_and_periods_switch()
    {
        var token = await Client.AntiforgeryTokenAsync("/nastrij");

        var response = await Client.PostFormAsync("/nastrij", token, [new("Form.Mood", "tired"), new("Form.Intensity", "3")], htmx: true);
        var journal = await (await Client.GetHtmxAsync("/nastrij?days=30")).Content.ReadAsStringAsync();

        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("<form id=\"mood-form\""));
        Assert.That(response.Headers.GetValues("HX-Trigger").Single(), Does.Contain("nastrij-changed"));
        Assert.That(journal, Does.Not.Contain("<html"));
        Assert.That(journal, Does.Match("href=\"/nastrij\\?days=30\" aria-current=\"true\""));
        Assert.That(journal, Does.Contain("data-stat=\"count\">1<"));
    }

    [Test]
    public async Task Entry_is_edited_and_deleted_after_confirmation()
    {
        var token = await Client.AntiforgeryTokenAsync("/nastrij");
        await Client.PostFormAsync("/nastrij", token, [new("Form.Mood", "sad"), new("Form.Intensity", "4"), new("Form.FeltAt", "2026-11-20T21:15")]);
        var id = await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select max(id) from nastrij_entries");

        var editPage = await Client.GetStringAsync($"/nastrij/{id}/edit");
        var edited = await Client.PostFormAsync($"/nastrij/{id}/edit", token,
            [new("Form.Mood", "calm"), new("Form.Intensity", "5"), new("Form.FeltAt", "2026-11-20T21:15")]);
        var storedUtc = await TestDatabase.ScalarAsync<string>(SharedApp.Database,
            $"select mood || ' ' || to_char(felt_at at time zone 'UTC', 'HH24:MI') from nastrij_entries where id = {id}");
        var confirm = await Client.GetStringAsync($"/nastrij/{id}/delete");
        var deleted = await Client.PostFormAsync($"/nastrij/{id}/delete", token, []);

        Assert.That(editPage, Does.Contain("value=\"2026-11-20T21:15\""), "shown in family time");
        Assert.That(storedUtc, Is.EqualTo("calm 19:15"), "edited, and stored as UTC");
        Assert.That(edited.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(confirm, Does.Contain("Видалити цей запис настрою?"));
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select count(*) from nastrij_entries"), Is.Zero);
    }
}
