using System.Net;
using System.Text.Json.Nodes;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Modules.Kazkar;

/// <summary>The API as API clients use it: with a personal access token.</summary>
public sealed class KazkarApiTests : AppTest
{
    private const string Stories = "/api/v1/kazkar/stories";

    protected override bool SignedIn => false;

    [SetUp]
    public async Task UseTokenAsync() => await Client.UseOwnerTokenAsync();

    private async Task<JsonNode> CreateAsync(object story)
    {
        var response = await Client.PostJsonAsync(Stories, story);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private Task<long> CountAsync() => TestDatabase.ScalarAsync<long>(SharedApp.Database, "select count(*) from kazkar_stories");

    [Test]
    public async Task Create_returns_the_story_in_the_earlier_shape()
    {
        var story = await CreateAsync(new
        {
            title = "Дуб біля хати", content = "Дід посадив дуб.", story_type = "legend",
            participants = new[] { "Дід Іван" }, location = "Полтава", tags = new[] { "дуб", "дід" },
            happened_on = "1950-05-01", source_trace = "legends/oak.md",
        });

        Assert.That((long?)story["id"], Is.GreaterThan(0));
        Assert.That((string?)story["module"], Is.EqualTo("kazkar"));
        Assert.That(DateTime.TryParse((string?)story["time"], out _), Is.True);
        Assert.That((string?)story["title"], Is.EqualTo("Дуб біля хати"));
        Assert.That((string?)story["content"], Is.EqualTo("Дід посадив дуб."));
        Assert.That((string?)story["story_type"], Is.EqualTo("legend"));
        Assert.That(story["participants"]!.AsArray().Select(p => (string?)p), Is.EqualTo(new[] { "Дід Іван" }));
        Assert.That((string?)story["location"], Is.EqualTo("Полтава"));
        Assert.That(story["tags"]!.AsArray().Select(p => (string?)p), Is.EqualTo(new[] { "дуб", "дід" }));
        Assert.That((string?)story["source_trace"], Is.EqualTo("legends/oak.md"));
        Assert.That((string?)story["happened_on"], Is.EqualTo("1950-05-01"));
    }

    [Test]
    public async Task Create_defaults_to_story_type_story_and_empty_lists()
    {
        var story = await CreateAsync(new { title = "T", content = "C" });

        Assert.That((string?)story["story_type"], Is.EqualTo("story"));
        Assert.That(story["tags"]!.AsArray(), Is.Empty);
        Assert.That(story["participants"]!.AsArray(), Is.Empty);
        Assert.That(story["location"], Is.Null);
    }

    [Test]
    public async Task Get_returns_the_story_and_404_detail_when_missing()
    {
        var created = await CreateAsync(new { title = "T", content = "C" });

        var found = await Client.GetAsync($"{Stories}/{created["id"]}");
        var missing = await Client.GetAsync($"{Stories}/999999");

        Assert.That((string?)(await found.JsonAsync())["title"], Is.EqualTo("T"));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await missing.JsonAsync()).ToJsonString(), Is.EqualTo("{\"detail\":\"Story not found\"}"));
    }

    [Test]
    public async Task Invalid_story_is_422_with_field_details_and_saves_nothing()
    {
        var response = await Client.PostJsonAsync(Stories, new { title = "", story_type = "poem", tags = "not-a-list", location = new string('x', 201) });
        var detail = (await response.JsonAsync())["detail"]!.AsArray();
        var byField = detail.ToDictionary(d => (string)d!["loc"]![1]!, d => (string)d!["type"]!);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(byField, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["title"] = "required",
            ["content"] = "required",
            ["story_type"] = "invalid_choice",
            ["tags"] = "invalid_type",
            ["location"] = "too_long",
        }));
        Assert.That(detail.Select(d => (string?)d!["loc"]![0]), Is.All.EqualTo("body"));
        Assert.That(detail.Select(d => (string?)d!["msg"]), Is.All.Not.Empty);
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Title_and_content_length_limits_are_enforced()
    {
        var response = await Client.PostJsonAsync(Stories, new { title = new string('a', 201), content = new string('b', 50_001) });
        var types = (await response.JsonAsync())["detail"]!.AsArray().Select(d => (string?)d!["type"]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(types, Is.EqualTo(new[] { "too_long", "too_long" }));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Malformed_json_is_400_and_wrong_content_type_is_415()
    {
        var malformed = await Client.PostAsync(Stories, Http.RawJson("{\"title\": "));
        var notJson = await Client.PostAsync(Stories, new StringContent("title=x"));
        var array = await Client.PostAsync(Stories, Http.RawJson("[1,2]"));

        Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((string?)(await malformed.JsonAsync())["detail"], Does.StartWith("Request body is not valid JSON"));
        Assert.That(notJson.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(array.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Hostile_text_is_stored_and_returned_literally()
    {
        var hostile = "<script>alert('x')</script> '; drop table kazkar_stories; -- 😀 \u202Eevil\u202C " + new string('я', 10_000);

        var created = await CreateAsync(new { title = "'; drop table x; --", content = hostile, tags = new[] { "<b>t</b>" } });
        var fetched = await (await Client.GetAsync($"{Stories}/{created["id"]}")).JsonAsync();

        Assert.That((string?)fetched["content"], Is.EqualTo(hostile));
        Assert.That((string?)fetched["title"], Is.EqualTo("'; drop table x; --"));
        Assert.That(await CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Put_changes_only_the_fields_sent()
    {
        var created = await CreateAsync(new { title = "Old", content = "Body", tags = new[] { "a" }, location = "Kyiv" });

        var response = await Client.PutJsonAsync($"{Stories}/{created["id"]}", new { title = "New" });
        var updated = await response.JsonAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)updated["title"], Is.EqualTo("New"));
        Assert.That((string?)updated["content"], Is.EqualTo("Body"));
        Assert.That((string?)updated["location"], Is.EqualTo("Kyiv"));
        Assert.That(updated["tags"]!.AsArray().Select(t => (string?)t), Is.EqualTo(new[] { "a" }));
    }

    [Test]
    public async Task Put_with_invalid_field_is_422_and_changes_nothing_and_missing_story_is_404()
    {
        var created = await CreateAsync(new { title = "Old", content = "Body" });

        var invalid = await Client.PutJsonAsync($"{Stories}/{created["id"]}", new { title = "", story_type = "poem" });
        var missing = await Client.PutJsonAsync($"{Stories}/999999", new { title = "x" });
        var after = await (await Client.GetAsync($"{Stories}/{created["id"]}")).JsonAsync();

        Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((string?)after["title"], Is.EqualTo("Old"));
        Assert.That((string?)after["story_type"], Is.EqualTo("story"));
    }

    [Test]
    public async Task Delete_removes_the_story_with_the_earlier_message()
    {
        var created = await CreateAsync(new { title = "T", content = "C" });

        var deleted = await Client.DeleteAsync($"{Stories}/{created["id"]}");
        var again = await Client.DeleteAsync($"{Stories}/{created["id"]}");

        Assert.That((string?)(await deleted.JsonAsync())["message"], Is.EqualTo("Story deleted successfully"));
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task List_filters_by_type_tag_participant_and_text_and_pages()
    {
        await CreateAsync(new { title = "Легенда про дуб", content = "Старий дуб", story_type = "legend", tags = new[] { "дерева" } });
        await CreateAsync(new { title = "Спогад про море", content = "Літо в Одесі", story_type = "memory", participants = new[] { "Мама" } });
        await CreateAsync(new { title = "Факт", content = "Клени живуть довго", story_type = "fact", tags = new[] { "дерева" } });

        async Task<string[]> Titles(string query) =>
            (await (await Client.GetAsync($"{Stories}?{query}")).JsonAsync()).AsArray().Select(s => (string)s!["title"]!).ToArray();

        Assert.That(await Titles(""), Is.EqualTo(new[] { "Факт", "Спогад про море", "Легенда про дуб" }));
        Assert.That(await Titles("story_type=memory"), Is.EqualTo(new[] { "Спогад про море" }));
        Assert.That(await Titles("tag=дерева"), Is.EquivalentTo(new[] { "Факт", "Легенда про дуб" }));
        Assert.That(await Titles("participant=Мама"), Is.EqualTo(new[] { "Спогад про море" }));
        Assert.That(await Titles("q=дуб"), Is.EquivalentTo(new[] { "Легенда про дуб" }));
        Assert.That(await Titles("q=Дуб"), Is.EquivalentTo(new[] { "Легенда про дуб" }));
        Assert.That(await Titles("q=оде"), Is.EqualTo(new[] { "Спогад про море" }), "prefix search");
        Assert.That(await Titles("q=дуб дерева"), Is.EqualTo(new[] { "Легенда про дуб" }), "every word must match");
        Assert.That(await Titles("skip=1&limit=1"), Is.EqualTo(new[] { "Спогад про море" }));
        Assert.That(await Titles("q=' | & ! :* (("), Has.Length.EqualTo(3), "tsquery syntax without words is no filter, not an error");
        Assert.That(await Titles("q=дуб:* | море"), Is.Empty, "operators are not interpreted: both words must match");
    }

    [Test]
    public async Task List_rejects_bad_paging_and_unknown_type_with_422()
    {
        var badLimit = await Client.GetAsync($"{Stories}?limit=abc");
        var negativeSkip = await Client.GetAsync($"{Stories}?skip=-1");
        var badType = await Client.GetAsync($"{Stories}?story_type=poem");

        Assert.That(badLimit.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((string?)(await badLimit.JsonAsync())["detail"]![0]!["loc"]![1], Is.EqualTo("limit"));
        Assert.That(negativeSkip.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(badType.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }

    [Test]
    public async Task Legends_lists_only_legends_and_stats_counts_by_type()
    {
        await CreateAsync(new { title = "L1", content = "c", story_type = "legend" });
        await CreateAsync(new { title = "L2", content = "c", story_type = "legend" });
        await CreateAsync(new { title = "M", content = "c", story_type = "memory" });

        var legends = (await (await Client.GetAsync("/api/v1/kazkar/legends")).JsonAsync()).AsArray();
        var stats = await (await Client.GetAsync("/api/v1/kazkar/stats")).JsonAsync();

        Assert.That(legends.Select(l => (string?)l!["story_type"]), Is.EqualTo(new[] { "legend", "legend" }));
        Assert.That((int?)stats["total_stories"], Is.EqualTo(3));
        Assert.That(stats["by_type"]!.ToJsonString(), Is.EqualTo("{\"story\":0,\"memory\":1,\"legend\":2,\"fact\":0}"));
    }

    [Test]
    public async Task Import_upserts_by_source_trace()
    {
        var first = await Client.PostJsonAsync("/api/v1/kazkar/import", new { title = "Оберіг", content = "v1", source_trace = "legends/oberih.md" });
        var second = await Client.PostJsonAsync("/api/v1/kazkar/import", new { title = "Оберіг", content = "v2", source_trace = "legends/oberih.md" });
        var firstBody = await first.JsonAsync();
        var secondBody = await second.JsonAsync();

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((long?)secondBody["id"], Is.EqualTo((long?)firstBody["id"]));
        Assert.That((string?)secondBody["content"], Is.EqualTo("v2"));
        Assert.That((string?)secondBody["story_type"], Is.EqualTo("legend"));
        Assert.That(await CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Import_without_source_trace_is_422()
    {
        var response = await Client.PostJsonAsync("/api/v1/kazkar/import", new { title = "x", content = "y" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That((string?)(await response.JsonAsync())["detail"]![0]!["loc"]![1], Is.EqualTo("source_trace"));
    }

    [Test]
    public async Task Export_is_markdown_with_every_story()
    {
        await CreateAsync(new { title = "Перша", content = "Текст **один**", tags = new[] { "a", "b" } });
        await CreateAsync(new { title = "Друга", content = "Текст два", story_type = "fact", happened_on = "2020-02-02" });

        var response = await Client.GetAsync("/api/v1/kazkar/export");
        var markdown = await response.Content.ReadAsStringAsync();

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/markdown"));
        Assert.That(response.Content.Headers.ContentDisposition?.FileName, Does.StartWith("kazkar-"));
        Assert.That(markdown, Does.Contain("title: Перша\ntype: story\ntags: a, b\n"));
        Assert.That(markdown, Does.Contain("title: Друга\ntype: fact\ndate: 2020-02-02\n"));
        Assert.That(markdown, Does.Contain("Текст **один**"));
    }
}
