using System.Xml.Linq;
using System.Text.RegularExpressions;
using Cimeika.Web.Infrastructure.Configuration;
using Cimeika.Web.Infrastructure.Text;
using Cimeika.Web.Modules.Kazkar;
using Microsoft.Extensions.Configuration;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Infrastructure;

public sealed class MarkdownRendererTests
{
    private readonly MarkdownRenderer _renderer = new();

    private string Render(string markdown) => _renderer.Render(markdown).ToString()!;

    [Test]
    public void Formatting_is_rendered() =>
        Assert.That(Render("# H\n\n**b** *i*\n\n- one"), Does.Contain("<strong>b</strong>").And.Contain("<em>i</em>").And.Contain("<li>one</li>"));

    [TestCase("<script>alert(1)</script>", "<script")]
    [TestCase("<img src=x onerror=alert(1)>", "<img")]
    [TestCase("[x](javascript:alert(1))", "javascript:")]
    [TestCase("<a href=\"javascript:alert(1)\">x</a>", "<a href")]
    [TestCase("<iframe src=\"https://example.com\"></iframe>", "<iframe")]
    [TestCase("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:")]
    public void Html_and_script_in_content_never_survive(string markdown, string forbidden) =>
        Assert.That(Render(markdown), Does.Not.Contain(forbidden));

    [Test]
    public void Safe_links_keep_their_target_and_get_noopener() =>
        Assert.That(Render("[site](https://example.com)"), Does.Contain("href=\"https://example.com\"").And.Contain("noopener"));
}

public sealed class StoryMarkdownTests
{
    [Test]
    public void Plain_legend_file_takes_title_from_heading_and_is_a_legend()
    {
        var story = StoryMarkdown.Parse("legends/verba.md", "# Верба\n\nТекст легенди.\n").Single();

        Assert.That(story.Title, Is.EqualTo("Верба"));
        Assert.That(story.Content, Is.EqualTo("Текст легенди."));
        Assert.That(story.StoryType, Is.EqualTo("legend"));
        Assert.That(story.SourceTrace, Is.EqualTo("file:verba.md"));
    }

    [Test]
    public void File_without_heading_takes_title_from_file_name() =>
        Assert.That(StoryMarkdown.Parse("Про зорі.md", "Зорі світять.").Single().Title, Is.EqualTo("Про зорі"));

    [Test]
    public void Front_matter_sets_every_field_and_a_horizontal_rule_in_content_is_kept()
    {
        var text = "---\ntitle: Море\ntype: memory\ndate: 2001-07-01\nlocation: Одеса\nparticipants: Мама, Тато\ntags: літо, море\nsource: my/sea\n---\n\nПерший абзац.\n\n---\n\nДругий абзац.\n";

        var story = StoryMarkdown.Parse("x.md", text).Single();

        Assert.That(story.Title, Is.EqualTo("Море"));
        Assert.That(story.StoryType, Is.EqualTo("memory"));
        Assert.That(story.HappenedOn, Is.EqualTo(new DateOnly(2001, 7, 1)));
        Assert.That(story.Location, Is.EqualTo("Одеса"));
        Assert.That(story.Participants, Is.EqualTo(new[] { "Мама", "Тато" }));
        Assert.That(story.Tags, Is.EqualTo(new[] { "літо", "море" }));
        Assert.That(story.SourceTrace, Is.EqualTo("my/sea"));
        Assert.That(story.Content, Is.EqualTo("Перший абзац.\n\n---\n\nДругий абзац."));
    }

    [Test]
    public void Written_stories_parse_back_to_the_same_fields()
    {
        var stories = new[]
        {
            new Story { Id = 7, Title = "Один", Content = "Текст\n\n---\n\nще", StoryType = "fact", Tags = ["a", "b"], Participants = ["Ія"], Location = "Львів", HappenedOn = new DateTime(1999, 1, 2) },
            new Story { Id = 8, Title = "Два", Content = "Другий", StoryType = "story", SourceTrace = "legends/two.md" },
        };

        var parsed = StoryMarkdown.Parse("export.md", StoryMarkdown.Write(stories));

        Assert.That(parsed.Select(p => p.Title), Is.EqualTo(new[] { "Один", "Два" }));
        Assert.That(parsed[0].Content, Is.EqualTo("Текст\n\n---\n\nще"));
        Assert.That(parsed[0].SourceTrace, Is.EqualTo("kazkar:story/7"));
        Assert.That(parsed[0].Tags, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(parsed[0].HappenedOn, Is.EqualTo(new DateOnly(1999, 1, 2)));
        Assert.That(parsed[1].SourceTrace, Is.EqualTo("legends/two.md"));
        Assert.That(parsed[1].StoryType, Is.EqualTo("story"));
    }
}

public sealed class StoryQueryTests
{
    [TestCase(null, null)]
    [TestCase("   ", null)]
    [TestCase("Дуб", "дуб:*")]
    [TestCase("дуб  верба", "дуб:* & верба:*")]
    [TestCase("' | & ! :* (( <->", null)]
    [TestCase("o'reilly", "o:* & reilly:*")]
    public void Search_text_becomes_a_prefix_query_of_letters_and_digits_only(string? input, string? expected) =>
        Assert.That(StoryStore.ToPrefixQuery(input), Is.EqualTo(expected));
}

public sealed class SettingsTests
{
    private static (AppSettings, DatabaseSettings, IReadOnlyList<string>) Read(params (string, string)[] values) =>
        SettingsReader.Read(new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Item1, v => (string?)v.Item2)).Build(), "Development");

    [Test]
    public void Defaults_point_at_a_local_database()
    {
        var (_, db, problems) = Read();

        Assert.That(problems, Is.Empty);
        Assert.That((db.Host, db.Port, db.Database, db.Username), Is.EqualTo(("127.0.0.1", 5432, "cimeika", "cimeika")));
    }

    [Test]
    public void Checklist_variable_names_are_read()
    {
        var (app, db, problems) = Read(("POSTGRES_HOST", "db"), ("POSTGRES_PORT", "6543"), ("POSTGRES_DB", "d"), ("POSTGRES_USER", "u"),
            ("POSTGRES_PASSWORD", "p"), ("LOG_LEVEL", "WARNING"), ("CORS_ORIGINS", "https://a.example, https://b.example"), ("DEBUG", "false"));

        Assert.That(problems, Is.Empty);
        Assert.That(db.ConnectionString, Does.Contain("Host=db").And.Contain("Port=6543").And.Contain("Database=d").And.Contain("Username=u"));
        Assert.That(app.LogLevel, Is.EqualTo("WARNING"));
        Assert.That(app.CorsOrigins, Is.EqualTo(new[] { "https://a.example", "https://b.example" }));
    }

    [Test]
    public void Every_invalid_value_is_reported_at_once()
    {
        var (_, _, problems) = Read(("POSTGRES_PORT", "http"), ("LOG_LEVEL", "LOUD"), ("ENVIRONMENT", "staging-ish"), ("DEBUG", "maybe"));

        Assert.That(problems, Has.Count.EqualTo(4));
        Assert.That(problems, Has.Some.Contains("POSTGRES_PORT"));
        Assert.That(problems, Has.Some.Contains("LOG_LEVEL"));
        Assert.That(problems, Has.Some.Contains("ENVIRONMENT"));
        Assert.That(problems, Has.Some.Contains("DEBUG"));
    }

    [TestCase("production", "Production")]
    [TestCase("Development", "Development")]
    [TestCase("qa", null)]
    public void Environment_maps_to_host_environment_names(string value, string? expected) =>
        Assert.That(EnvironmentNames.ToHostName(value), Is.EqualTo(expected));
}

public sealed class ResourceTests
{
    private static Dictionary<string, string> Load(string file)
    {
        var path = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "Cimeika.Web", "Resources", file));
        return XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!);
    }

    [Test]
    public void English_has_every_ukrainian_string_with_the_same_placeholders()
    {
        var uk = Load("SharedResource.resx");
        var en = Load("SharedResource.en.resx");

        Assert.That(en.Keys, Is.EquivalentTo(uk.Keys));
        foreach (var (key, value) in uk)
        {
            Assert.That(en[key], Is.Not.Empty, key);
            Assert.That(Placeholders(en[key]), Is.EqualTo(Placeholders(value)), key);
        }
    }

    [Test]
    public void Every_resource_key_used_in_code_and_views_exists()
    {
        var uk = Load("SharedResource.resx");
        var root = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "Cimeika.Web"));
        var used = Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cshtml") || f.EndsWith(".cs")) && !f.Contains("/obj/") && !f.Contains("/bin/"))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "(?:T|text)\\[\"([A-Z][A-Za-z]+\\.[A-Za-z0-9.]+)\"").Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();

        Assert.That(used, Is.Not.Empty);
        Assert.That(used.Where(k => !uk.ContainsKey(k)), Is.Empty);
    }

    private static string[] Placeholders(string text) =>
        Regex.Matches(text, "\\{\\d+\\}").Select(m => m.Value).Order().ToArray();
}
