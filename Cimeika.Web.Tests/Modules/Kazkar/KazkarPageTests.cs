using System.Net;
using System.Text.RegularExpressions;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Modules.Kazkar;

public sealed class KazkarPageTests : AppTest
{
    private static KeyValuePair<string, string>[] StoryFields(string title = "Бабусина хата", string content = "Біла хата з **вишнями**",
        string type = "memory", string tags = "дім, дитинство", string participants = "Бабуся Ганна", string date = "1987-06-15") =>
    [
        new("Form.Title", title), new("Form.Content", content), new("Form.StoryType", type), new("Form.Tags", tags),
        new("Form.Participants", participants), new("Form.Location", "Вінниця"), new("Form.HappenedOn", date),
    ];

    private Task<long> CountAsync() => TestDatabase.ScalarAsync<long>(SharedApp.Database, "select count(*) from kazkar_stories");

    private async Task<long> CreateAsync(string title, string content = "Зміст", string type = "story", string tags = "")
    {
        var token = await Client.AntiforgeryTokenAsync("/kazkar");
        var response = await Client.PostFormAsync("/kazkar", token, StoryFields(title, content, type, tags));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        return await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select max(id) from kazkar_stories");
    }

    [Test]
    public async Task Empty_list_shows_the_empty_state_and_an_open_form()
    {
        var html = await Client.GetStringAsync("/kazkar");

        Assert.That(html, Does.Contain("Поки що немає історій"));
        Assert.That(html, Does.Match("<details class=\"panel\" open=\"open\">"));
        Assert.That(html, Does.Contain("name=\"Form.Title\""));
    }

    [Test]
    public async Task Creating_with_a_plain_form_redirects_and_the_story_is_listed_with_a_notice()
    {
        var token = await Client.AntiforgeryTokenAsync("/kazkar");

        var response = await Client.PostFormAsync("/kazkar", token, StoryFields());
        var html = await Client.GetStringAsync("/kazkar");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/kazkar"));
        Assert.That(html, Does.Contain("Історію збережено"));
        Assert.That(html, Does.Contain(">Бабусина хата</a>"));
        Assert.That(html, Does.Contain("Сталося: 15 червня 1987"));
        Assert.That(html, Does.Contain("#дитинство"));
        Assert.That(html, Does.Contain("Бабуся Ганна"));
        Assert.That(await TestDatabase.ScalarAsync<string>(SharedApp.Database, "select array_to_string(tags, '|') from kazkar_stories"),
            Is.EqualTo("дім|дитинство"));
    }

    [Test]
    public async Task Invalid_form_is_422_with_field_messages_keeps_the_input_and_saves_nothing()
    {
        var token = await Client.AntiforgeryTokenAsync("/kazkar");

        var response = await Client.PostFormAsync("/kazkar", token,
            StoryFields(title: " ", content: "", type: "poem", date: "15.06.1987"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(html, Does.Contain("Перевірте позначені поля"));
        Assert.That(Regex.Matches(html, "class=\"field-error\"").Count, Is.EqualTo(4), "title, content, type, date");
        Assert.That(html, Does.Contain("id=\"new-story-title-error\" class=\"field-error\">Обов&#x27;язкове поле").Or.Contain("id=\"new-story-title-error\" class=\"field-error\">Обов'язкове поле"));
        Assert.That(html, Does.Contain("Дата у форматі РРРР-ММ-ДД"));
        Assert.That(html, Does.Contain("aria-invalid=\"true\""));
        Assert.That(html, Does.Contain("value=\"дім, дитинство\""), "input is kept");
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Form_post_without_antiforgery_token_is_refused_and_saves_nothing()
    {
        await Client.GetStringAsync("/kazkar");

        var response = await Client.PostAsync("/kazkar", new FormUrlEncodedContent(StoryFields()));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Htmx_create_returns_a_fresh_form_fragment_and_triggers_a_list_refresh()
    {
        var token = await Client.AntiforgeryTokenAsync("/kazkar");

        var response = await Client.PostFormAsync("/kazkar", token, StoryFields(), htmx: true);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.StartWith("<form id=\"story-form\""));
        Assert.That(html, Does.Not.Contain("<html"));
        Assert.That(html, Does.Contain("Історію збережено"));
        Assert.That(html, Does.Contain("name=\"Form.Title\"").And.Not.Contain("Бабусина хата"), "the form is empty again");
        Assert.That(response.Headers.GetValues("HX-Trigger").Single(), Does.Contain("kazkar-changed"));
        Assert.That(await CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Htmx_invalid_create_returns_the_form_fragment_with_422()
    {
        var token = await Client.AntiforgeryTokenAsync("/kazkar");

        var response = await Client.PostFormAsync("/kazkar", token, StoryFields(title: ""), htmx: true);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(html, Does.StartWith("<form id=\"story-form\""));
        Assert.That(html, Does.Contain("new-story-title-error"));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Htmx_list_request_gets_the_results_fragment_and_history_restore_gets_the_page()
    {
        await CreateAsync("Перша");

        var fragment = await Client.GetHtmxAsync("/kazkar?q=пер");
        var restore = await Client.GetHtmxAsync("/kazkar?q=пер", historyRestore: true);
        var fragmentHtml = await fragment.Content.ReadAsStringAsync();

        Assert.That(fragmentHtml, Does.Not.Contain("<html"));
        Assert.That(fragmentHtml, Does.Contain(">Перша</a>"));
        Assert.That(fragment.Headers.Vary, Does.Contain("HX-Request"));
        Assert.That(await restore.Content.ReadAsStringAsync(), Does.Contain("<html"));
    }

    [Test]
    public async Task Search_type_and_tag_filters_narrow_the_list_and_counts_show_per_type()
    {
        await CreateAsync("Легенда про вербу", type: "legend", tags: "дерева");
        await CreateAsync("Спогад про липу", type: "memory", tags: "дерева");
        await CreateAsync("Факт про море", type: "fact");

        var search = await Client.GetStringAsync("/kazkar?q=вер");
        var type = await Client.GetStringAsync("/kazkar?type=memory");
        var tag = await Client.GetStringAsync("/kazkar?tag=дерева");
        var none = await Client.GetStringAsync("/kazkar?q=жирафа");

        Assert.That(Titles(search), Is.EqualTo(new[] { "Легенда про вербу" }));
        Assert.That(Titles(type), Is.EqualTo(new[] { "Спогад про липу" }));
        Assert.That(Titles(tag), Is.EquivalentTo(new[] { "Легенда про вербу", "Спогад про липу" }));
        Assert.That(none, Does.Contain("Нічого не знайдено"));
        Assert.That(Regex.Match(tag, "data-type=\"legend\"[^>]*>\\s*Легенда <span class=\"count\">(\\d+)").Groups[1].Value, Is.EqualTo("1"));
        Assert.That(Regex.Match(tag, "data-type=\"fact\"[^>]*>\\s*Факт <span class=\"count\">(\\d+)").Groups[1].Value, Is.EqualTo("0"));
    }

    [Test]
    public async Task List_pages_by_twenty()
    {
        await TestDatabase.ExecuteAsync(SharedApp.Database,
            "insert into kazkar_stories (family_id, title, content) select 1, 'Історія ' || n, 'x' from generate_series(1, 25) n");

        var first = await Client.GetStringAsync("/kazkar");
        var second = await Client.GetStringAsync("/kazkar?p=2");

        Assert.That(Titles(first), Has.Length.EqualTo(20));
        Assert.That(Titles(second), Has.Length.EqualTo(5));
        Assert.That(first, Does.Contain("Сторінка 1 з 2"));
        Assert.That(first, Does.Contain("href=\"/kazkar?p=2\""));
    }

    [Test]
    public async Task Details_render_markdown_safely()
    {
        var id = await CreateAsync("Небезпечна", "**жирний** <script>alert(1)</script> <img src=x onerror=alert(2)> [клік](javascript:alert(3))");

        var html = await Client.GetStringAsync($"/kazkar/{id}");
        var prose = Regex.Match(html, "<div class=\"prose\">(.*?)</div>", RegexOptions.Singleline).Groups[1].Value;

        Assert.That(prose, Does.Contain("<strong>жирний</strong>"));
        Assert.That(prose, Does.Contain("&lt;script&gt;"));
        Assert.That(prose, Does.Not.Contain("<script"));
        Assert.That(prose, Does.Not.Contain("<img"));
        Assert.That(prose, Does.Not.Contain("javascript:"));
        Assert.That(html, Does.Contain("data-theme=\"night\""));
    }

    [Test]
    public async Task Edit_page_and_plain_post_update_the_story()
    {
        var id = await CreateAsync("Стара назва");
        var token = await Client.AntiforgeryTokenAsync($"/kazkar/{id}/edit");

        var response = await Client.PostFormAsync($"/kazkar/{id}/edit", token, StoryFields(title: "Нова назва", type: "fact"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo($"/kazkar/{id}"));
        Assert.That(await TestDatabase.ScalarAsync<string>(SharedApp.Database, "select title || '/' || story_type from kazkar_stories"),
            Is.EqualTo("Нова назва/fact"));
    }

    [Test]
    public async Task Htmx_edit_returns_inline_editor_then_the_updated_row()
    {
        var id = await CreateAsync("Стара назва");
        var token = await Client.AntiforgeryTokenAsync("/kazkar");

        var editor = await (await Client.GetHtmxAsync($"/kazkar/{id}/edit")).Content.ReadAsStringAsync();
        var saved = await Client.PostFormAsync($"/kazkar/{id}/edit", token, StoryFields(title: "Нова назва"), htmx: true);
        var invalid = await Client.PostFormAsync($"/kazkar/{id}/edit", token, StoryFields(title: ""), htmx: true);
        var row = await saved.Content.ReadAsStringAsync();

        Assert.That(editor, Does.StartWith($"<article class=\"story editing\" id=\"story-{id}\">"));
        Assert.That(editor, Does.Contain("value=\"Стара назва\""));
        Assert.That(row, Does.StartWith($"<article class=\"story\" id=\"story-{id}\""));
        Assert.That(row, Does.Contain(">Нова назва</a>"));
        Assert.That(invalid.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await invalid.Content.ReadAsStringAsync(), Does.Contain($"story-{id}-title-error"));
        Assert.That(await TestDatabase.ScalarAsync<string>(SharedApp.Database, "select title from kazkar_stories"), Is.EqualTo("Нова назва"));
    }

    [Test]
    public async Task Delete_asks_for_confirmation_then_deletes()
    {
        var id = await CreateAsync("На видалення");

        var confirm = await Client.GetStringAsync($"/kazkar/{id}/delete");
        var token = await Client.AntiforgeryTokenAsync($"/kazkar/{id}/delete");
        var response = await Client.PostFormAsync($"/kazkar/{id}/delete", token, []);

        Assert.That(confirm, Does.Contain("Видалити історію «На видалення»?"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await CountAsync(), Is.Zero);
        Assert.That(await Client.GetStringAsync("/kazkar"), Does.Contain("Історію видалено"));
    }

    [Test]
    public async Task Htmx_delete_answers_with_a_refresh_trigger()
    {
        var id = await CreateAsync("На видалення");
        var token = await Client.AntiforgeryTokenAsync("/kazkar");

        var response = await Client.PostFormAsync($"/kazkar/{id}/delete", token, [], htmx: true);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("HX-Trigger").Single(), Does.Contain("kazkar-changed"));
        Assert.That(await CountAsync(), Is.Zero);
    }

    [Test]
    public async Task Another_familys_story_is_404_by_page_and_api()
    {
        var otherFamily = await TestDatabase.ScalarAsync<long>(SharedApp.Database, "insert into families (name) values ('Сусіди') returning id");
        var otherStory = await TestDatabase.ScalarAsync<long>(SharedApp.Database,
            $"insert into kazkar_stories (family_id, title, content) values ({otherFamily}, 'Чужа', 'x') returning id");
        var token = await Client.AntiforgeryTokenAsync("/kazkar");

        Assert.That((await Client.GetAsync($"/kazkar/{otherStory}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Client.GetAsync($"/kazkar/{otherStory}/edit")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await Client.PostFormAsync($"/kazkar/{otherStory}/delete", token, [])).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        using var api = Factory.CreateClient();
        await api.UseOwnerTokenAsync();
        Assert.That((await api.GetAsync($"/api/v1/kazkar/stories/{otherStory}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await api.PutJsonAsync($"/api/v1/kazkar/stories/{otherStory}", new { title = "x" })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await api.DeleteAsync($"/api/v1/kazkar/stories/{otherStory}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await Client.GetStringAsync("/kazkar"), Does.Not.Contain("Чужа"));
        Assert.That(await CountAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Import_page_upserts_markdown_files_and_export_round_trips()
    {
        var token = await Client.AntiforgeryTokenAsync("/kazkar/import");
        var legend = "# Легенда про вербу\n\nКолись давно біля ставу росла верба.\n";

        async Task<HttpResponseMessage> Upload(string name, string text)
        {
            using var form = new MultipartFormDataContent();
            form.Add(new StringContent(token), "__RequestVerificationToken");
            form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(text)), "files", name);
            return await Client.PostAsync("/kazkar/import", form);
        }

        var first = await Upload("verba.md", legend);
        var again = await Upload("verba.md", legend.Replace("верба", "стара верба"));
        var notMarkdown = await Upload("photo.jpg", "xx");
        var exported = await Client.GetStringAsync("/kazkar?handler=export");
        var roundTrip = await Upload("export.md", exported);

        Assert.That(await first.Content.ReadAsStringAsync(), Does.Contain("Створено: 1, оновлено: 0"));
        Assert.That(await again.Content.ReadAsStringAsync(), Does.Contain("Створено: 0, оновлено: 1"));
        Assert.That(notMarkdown.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await notMarkdown.Content.ReadAsStringAsync(), Does.Contain("photo.jpg: це не файл .md"));
        Assert.That(await roundTrip.Content.ReadAsStringAsync(), Does.Contain("Створено: 0, оновлено: 1"));
        Assert.That(await CountAsync(), Is.EqualTo(1));
        Assert.That(await TestDatabase.ScalarAsync<string>(SharedApp.Database, "select title || '|' || story_type || '|' || content from kazkar_stories"),
            Is.EqualTo("Легенда про вербу|legend|Колись давно біля ставу росла стара верба."));
    }

    private static string[] Titles(string html) =>
        Regex.Matches(html, "<h2><a href=\"/kazkar/\\d+\">([^<]+)</a></h2>").Select(m => m.Groups[1].Value).ToArray();
}
