using System.Globalization;
using System.Text;
using Cimeika.Web.Infrastructure.Api;

namespace Cimeika.Web.Modules.Kazkar;

/// <summary>
/// The Markdown file format of Kazkar's import and export. A document is an optional front-matter
/// block (<c>title</c>, <c>type</c>, <c>date</c>, <c>location</c>, <c>participants</c>, <c>tags</c>,
/// <c>source</c>) followed by Markdown content. A file may hold several documents, each starting
/// with its own front matter; an export is such a file. A plain legend file without front matter
/// takes its title from the first <c># heading</c> (else the file name) and is a legend.
/// </summary>
public static class StoryMarkdown
{
    private const string Fence = "---";
    private static readonly string[] Keys = ["title", "type", "date", "location", "participants", "tags", "source"];

    public static IReadOnlyList<StoryInput> Parse(string fileName, string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var starts = new List<(int Start, int ContentStart, Dictionary<string, string> Meta)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (TryReadFrontMatter(lines, i, out var meta, out var contentStart))
            {
                starts.Add((i, contentStart, meta));
                i = contentStart - 1;
            }
        }

        var documents = new List<StoryInput>();
        var baseName = Path.GetFileName(fileName);
        if (starts.Count == 0 || lines[..starts[0].Start].Any(l => !string.IsNullOrWhiteSpace(l)))
        {
            var end = starts.Count == 0 ? lines.Length : starts[0].Start;
            documents.Add(FromPlain(baseName, lines[..end], starts.Count == 0 ? $"file:{baseName}" : $"file:{baseName}#0"));
        }
        for (var d = 0; d < starts.Count; d++)
        {
            var (_, contentStart, meta) = starts[d];
            var end = d + 1 < starts.Count ? starts[d + 1].Start : lines.Length;
            var fallbackSource = starts.Count == 1 && documents.Count == 0 ? $"file:{baseName}" : $"file:{baseName}#{d + 1}";
            documents.Add(FromFrontMatter(baseName, meta, lines[contentStart..end], fallbackSource));
        }
        return documents;
    }

    public static string Write(IEnumerable<Story> stories)
    {
        var builder = new StringBuilder();
        foreach (var story in stories)
        {
            builder.Append(Fence).Append('\n');
            builder.Append("title: ").Append(story.Title).Append('\n');
            builder.Append("type: ").Append(story.StoryType).Append('\n');
            if (story.HappenedOnDate is { } date) builder.Append("date: ").Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\n');
            if (story.Location is { } location) builder.Append("location: ").Append(location.ReplaceLineEndings(" ")).Append('\n');
            if (story.Participants.Length > 0) builder.Append("participants: ").Append(TextInput.JoinList(story.Participants)).Append('\n');
            if (story.Tags.Length > 0) builder.Append("tags: ").Append(TextInput.JoinList(story.Tags)).Append('\n');
            builder.Append("source: ").Append(StoryStore.ExportSource(story).ReplaceLineEndings(" ")).Append('\n');
            builder.Append(Fence).Append("\n\n");
            builder.Append(story.Content.ReplaceLineEndings("\n").TrimEnd('\n')).Append("\n\n");
        }
        return builder.ToString();
    }

    private static bool TryReadFrontMatter(string[] lines, int start, out Dictionary<string, string> meta, out int contentStart)
    {
        meta = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        contentStart = start;
        if (lines[start].Trim() != Fence) return false;
        for (var i = start + 1; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim() == Fence)
            {
                contentStart = i + 1;
                return meta.Count > 0;
            }
            var colon = line.IndexOf(':');
            if (colon <= 0) return false;
            var key = line[..colon].Trim();
            if (!Keys.Contains(key, StringComparer.OrdinalIgnoreCase)) return false;
            meta[key] = line[(colon + 1)..].Trim();
        }
        return false;
    }

    private static StoryInput FromPlain(string fileName, string[] lines, string source)
    {
        var headingIndex = Array.FindIndex(lines, l => l.StartsWith("# ", StringComparison.Ordinal));
        var title = headingIndex >= 0 ? lines[headingIndex][2..].Trim() : Path.GetFileNameWithoutExtension(fileName);
        var content = headingIndex >= 0 ? lines.Where((_, i) => i != headingIndex) : lines;
        return new StoryInput
        {
            Title = title,
            Content = string.Join('\n', content).Trim('\n'),
            StoryType = StoryTypes.Legend,
            SourceTrace = source,
        }.Normalized();
    }

    private static StoryInput FromFrontMatter(string fileName, Dictionary<string, string> meta, string[] content, string source)
    {
        DateOnly? date = meta.TryGetValue("date", out var rawDate) &&
            DateOnly.TryParseExact(rawDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                ? parsed
                : null;
        return new StoryInput
        {
            Title = meta.GetValueOrDefault("title") ?? Path.GetFileNameWithoutExtension(fileName),
            Content = string.Join('\n', content).Trim('\n'),
            StoryType = meta.GetValueOrDefault("type") ?? StoryTypes.Legend,
            Location = meta.GetValueOrDefault("location"),
            Participants = TextInput.SplitList(meta.GetValueOrDefault("participants")),
            Tags = TextInput.SplitList(meta.GetValueOrDefault("tags")),
            HappenedOn = date,
            SourceTrace = meta.GetValueOrDefault("source") is { Length: > 0 } s ? s : source,
        }.Normalized();
    }
}
