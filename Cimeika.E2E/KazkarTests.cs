using System.Text.RegularExpressions;
using NUnit.Framework;
using static Microsoft.Playwright.Assertions;

namespace Cimeika.E2E;

public sealed class KazkarTests : BrowserTest
{
    [Test]
    public async Task Created_story_appears_without_a_full_page_reload()
    {
        await Page.GotoAsync("/kazkar");
        await Page.EvaluateAsync("window.__notReloaded = true");

        await Page.FillAsync("#new-story-title", "Як ми садили яблуню");
        await Page.FillAsync("#new-story-content", "Навесні **всією родиною**.");
        await Page.SelectOptionAsync("#new-story-story_type", "memory");
        await Page.FillAsync("#new-story-tags", "сад, весна");
        await Page.ClickAsync("#story-form button[type=submit]");

        await Expect(Page.Locator(".story-list h2")).ToHaveTextAsync(["Як ми садили яблуню"]);
        await Expect(Page.Locator("#story-form .notice")).ToHaveTextAsync("Історію збережено");
        await Expect(Page.Locator("#new-story-title")).ToHaveValueAsync("");
        await Expect(Page.Locator(".type-counts a[data-type=memory] .count")).ToHaveTextAsync("1");
        Assert.That(await Page.EvaluateAsync<bool>("window.__notReloaded === true"), Is.True, "no full reload");
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task Invalid_story_shows_field_messages_in_place()
    {
        await Page.GotoAsync("/kazkar");

        await Page.FillAsync("#new-story-content", "Зміст без назви");
        await Page.ClickAsync("#story-form button[type=submit]");

        await Expect(Page.Locator("#new-story-title-error")).ToHaveTextAsync("Обов'язкове поле");
        await Expect(Page.Locator("#new-story-content")).ToHaveValueAsync("Зміст без назви");
        await Expect(Page.Locator(".story-list")).ToHaveCountAsync(0);
    }

    [Test]
    public async Task Search_as_you_type_narrows_the_list_and_updates_the_address()
    {
        await AppUnderTest.ExecuteAsync("""
            insert into kazkar_stories (family_id, title, content, story_type) values
              (1, 'Легенда про вербу', 'Верба біля ставу', 'legend'),
              (1, 'Спогад про море', 'Літо в Одесі', 'memory'),
              (1, 'Факт про дуб', 'Дуби живуть довго', 'fact')
            """);
        await Page.GotoAsync("/kazkar");
        await Expect(Page.Locator(".story-list h2")).ToHaveCountAsync(3);

        await Page.Locator("input[name=q]").PressSequentiallyAsync("оде", new() { Delay = 50 });

        await Expect(Page.Locator(".story-list h2")).ToHaveTextAsync(["Спогад про море"]);
        await Expect(Page).ToHaveURLAsync(new Regex("q=%D0%BE%D0%B4%D0%B5|q=оде"));

        await Page.Locator("input[name=q]").FillAsync("");
        await Page.SelectOptionAsync("select[name=type]", "legend");
        await Expect(Page.Locator(".story-list h2")).ToHaveTextAsync(["Легенда про вербу"]);
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task Story_is_edited_inline_and_deleted_after_confirmation()
    {
        await AppUnderTest.ExecuteAsync("insert into kazkar_stories (family_id, title, content) values (1, 'Чернетка', 'Текст')");
        await Page.GotoAsync("/kazkar");

        await Page.ClickAsync("#story-1 .actions a:text('Редагувати')");
        await Page.FillAsync("#story-1-title", "Остаточна назва");
        await Page.ClickAsync("#story-1 button[type=submit]");
        await Expect(Page.Locator("#story-1 h2")).ToHaveTextAsync("Остаточна назва");

        Page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await Page.ClickAsync("#story-1 .actions a.danger");
        await Expect(Page.Locator("#story-1")).ToHaveCountAsync(0);
        await Expect(Page.Locator(".empty-state")).ToContainTextAsync("Поки що немає історій");
        Assert.That(ConsoleErrors, Is.Empty);
    }

    [Test]
    public async Task Script_in_a_story_is_shown_as_text_and_never_runs()
    {
        await Page.GotoAsync("/kazkar");
        Page.Dialog += (_, dialog) => Assert.Fail($"a dialog opened: {dialog.Message}");

        await Page.FillAsync("#new-story-title", "<img src=x onerror=alert(1)>");
        await Page.FillAsync("#new-story-content", "<script>alert(2)</script>");
        await Page.ClickAsync("#story-form button[type=submit]");
        await Page.ClickAsync(".story-list h2 a");

        await Expect(Page.Locator("main h1")).ToHaveTextAsync("<img src=x onerror=alert(1)>");
        await Expect(Page.Locator(".prose")).ToContainTextAsync("<script>alert(2)</script>");
        Assert.That(await Page.Locator(".prose script").CountAsync(), Is.Zero);
    }
}

/// <summary>Every interaction also works with JavaScript switched off.</summary>
public sealed class KazkarWithoutJavaScriptTests : BrowserTest
{
    protected override bool JavaScriptEnabled => false;

    [Test]
    public async Task Create_search_edit_and_delete_work_with_plain_forms()
    {
        await Page.GotoAsync("/kazkar");

        await Page.FillAsync("#new-story-title", "Без скриптів");
        await Page.FillAsync("#new-story-content", "Працює й так.");
        await Page.ClickAsync("#story-form button[type=submit]");
        await Expect(Page.Locator(".notices .notice")).ToHaveTextAsync("Історію збережено");
        await Expect(Page.Locator(".story-list h2")).ToHaveTextAsync(["Без скриптів"]);

        await Page.FillAsync("input[name=q]", "скрипт");
        await Page.ClickAsync("#story-filters button[type=submit]");
        await Expect(Page).ToHaveURLAsync(new Regex(@"\?q="));
        await Expect(Page.Locator(".story-list h2")).ToHaveTextAsync(["Без скриптів"]);

        await Page.ClickAsync(".story-list .actions a:text('Редагувати')");
        await Page.FillAsync("#story-1-title", "Без скриптів, змінено");
        await Page.ClickAsync("form.story-form button[type=submit]");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Без скриптів, змінено");

        await Page.ClickAsync("main .actions a.danger");
        await Expect(Page.Locator("main h1")).ToHaveTextAsync("Видалити історію?");
        await Page.ClickAsync("main form button.danger");
        await Expect(Page.Locator(".notices .notice")).ToHaveTextAsync("Історію видалено");
        await Expect(Page.Locator(".empty-state")).ToBeVisibleAsync();
    }

    [Test]
    public async Task Ci_button_is_a_plain_link_to_ci()
    {
        await Page.GotoAsync("/kazkar");

        await Page.ClickAsync("a.ci-button");

        await Expect(Page).ToHaveURLAsync(new Regex("/ci$"));
    }
}
