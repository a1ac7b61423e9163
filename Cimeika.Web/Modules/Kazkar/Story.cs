using Cimeika.Web.Infrastructure.Api;

namespace Cimeika.Web.Modules.Kazkar;

/// <summary>A stored story (row of <c>kazkar_stories</c>).</summary>
public sealed class Story
{
    public long Id { get; init; }
    public long FamilyId { get; init; }
    public required string Title { get; init; }
    public required string Content { get; init; }
    public required string StoryType { get; init; }
    public string[] Participants { get; init; } = [];
    public string? Location { get; init; }
    public string[] Tags { get; init; } = [];
    public DateTime? HappenedOn { get; init; }
    public string? SourceTrace { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public DateOnly? HappenedOnDate => HappenedOn is { } d ? DateOnly.FromDateTime(d) : null;

    public StoryInput ToInput() => new()
    {
        Title = Title,
        Content = Content,
        StoryType = StoryType,
        Participants = Participants,
        Location = Location,
        Tags = Tags,
        HappenedOn = HappenedOnDate,
        SourceTrace = SourceTrace,
    };
}

public static class StoryTypes
{
    public const string Story = "story";
    public const string Memory = "memory";
    public const string Legend = "legend";
    public const string Fact = "fact";

    public static readonly IReadOnlyList<string> All = [Story, Memory, Legend, Fact];
}

/// <summary>What a page form or an API client asks to store; validated the same way for both.</summary>
public sealed record StoryInput
{
    public const int TitleMax = 200;
    public const int ContentMax = 50_000;
    public const int LocationMax = 200;
    public const int SourceMax = 500;
    public const int ListMax = 20;
    public const int TagMax = 50;
    public const int ParticipantMax = 100;

    public string? Title { get; init; }
    public string? Content { get; init; }
    public string? StoryType { get; init; } = StoryTypes.Story;
    public IReadOnlyList<string> Participants { get; init; } = [];
    public string? Location { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public DateOnly? HappenedOn { get; init; }
    public string? SourceTrace { get; init; }

    /// <summary>Trimmed text, single-line title, blanks as null.</summary>
    public StoryInput Normalized() => this with
    {
        Title = TextInput.Clean(Title?.ReplaceLineEndings(" ")),
        Content = TextInput.CleanMultiline(Content),
        StoryType = TextInput.Clean(StoryType)?.ToLowerInvariant(),
        Location = TextInput.Clean(Location),
        SourceTrace = TextInput.Clean(SourceTrace),
        Participants = TextInput.DistinctItems(Participants),
        Tags = TextInput.DistinctItems(Tags),
    };

    public IReadOnlyList<FieldError> Validate(Validator? validator = null)
    {
        var v = validator ?? new Validator();
        v.Text("title", Title, TitleMax, required: true);
        v.Text("content", Content, ContentMax, required: true);
        v.Choice("story_type", StoryType, StoryTypes.All.ToArray());
        v.Text("location", Location, LocationMax, required: false);
        v.Text("source_trace", SourceTrace, SourceMax, required: false);
        v.List("participants", Participants, ListMax, ParticipantMax);
        v.List("tags", Tags, ListMax, TagMax);
        return v.Errors;
    }
}

/// <summary>Search and filters of the story list.</summary>
public sealed record StoryQuery
{
    public const int PageSize = 20;

    public string? Text { get; init; }
    public string? Type { get; init; }
    public string? Tag { get; init; }
    public string? Participant { get; init; }
    public int Skip { get; init; }
    public int Limit { get; init; } = PageSize;
}

public sealed record StoryPage(IReadOnlyList<Story> Items, int Total, IReadOnlyDictionary<string, int> CountsByType);
