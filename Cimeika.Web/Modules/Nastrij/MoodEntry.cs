using Cimeika.Web.Infrastructure.Api;

namespace Cimeika.Web.Modules.Nastrij;

/// <summary>A stored mood entry (row of <c>nastrij_entries</c>).</summary>
public sealed class MoodEntry
{
    public long Id { get; init; }
    public long FamilyId { get; init; }
    public long AuthorId { get; init; }
    public required string Mood { get; init; }
    public short Intensity { get; init; }
    public string? Context { get; init; }
    public string[] Triggers { get; init; } = [];
    public string? Notes { get; init; }
    public string[] Tags { get; init; } = [];
    public DateTime FeltAt { get; init; }
    public string? SourceTrace { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public MoodInput ToInput() => new()
    {
        Mood = Mood,
        Intensity = Intensity,
        Context = Context,
        Triggers = Triggers,
        Notes = Notes,
        Tags = Tags,
        FeltAt = DateTime.SpecifyKind(FeltAt, DateTimeKind.Utc),
        SourceTrace = SourceTrace,
    };
}

public static class Moods
{
    /// <summary>The moods in the order the form shows them: pleasant first.</summary>
    public static readonly IReadOnlyList<string> All = ["happy", "excited", "calm", "neutral", "tired", "sad", "anxious", "angry"];

    /// <summary>+1 pleasant, 0 neutral, -1 unpleasant: the sign of an entry's well-being score.</summary>
    public static int Valence(string mood) => mood switch
    {
        "happy" or "excited" or "calm" => 1,
        "neutral" => 0,
        _ => -1,
    };
}

/// <summary>What a form or an API client asks to store; validated the same way for both.</summary>
public sealed record MoodInput
{
    public const int ContextMax = 500;
    public const int NotesMax = 5000;

    public string? Mood { get; init; }
    public int? Intensity { get; init; }
    public string? Context { get; init; }
    public IReadOnlyList<string> Triggers { get; init; } = [];
    public string? Notes { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>When it was felt (UTC); null means now.</summary>
    public DateTime? FeltAt { get; init; }
    public string? SourceTrace { get; init; }

    public MoodInput Normalized() => this with
    {
        Mood = TextInput.Clean(Mood)?.ToLowerInvariant(),
        Context = TextInput.Clean(Context),
        Notes = string.IsNullOrWhiteSpace(Notes) ? null : Notes.Trim('\r', '\n'),
        Triggers = TextInput.DistinctItems(Triggers),
        Tags = TextInput.DistinctItems(Tags),
        SourceTrace = TextInput.Clean(SourceTrace),
    };

    public IReadOnlyList<FieldError> Validate(Validator? validator = null)
    {
        var v = validator ?? new Validator();
        v.Choice("emotion_state", Mood, Moods.All.ToArray());
        if (Intensity is null) v.Add("intensity", ValidationCodes.Required);
        else if (Intensity is < 1 or > 10) v.Add("intensity", ValidationCodes.OutOfRange, 1, 10);
        v.Text("context", Context, ContextMax, required: false);
        v.Text("notes", Notes, NotesMax, required: false);
        v.Text("source_trace", SourceTrace, 500, required: false);
        v.List("triggers", Triggers, 20, 100);
        v.List("tags", Tags, 20, 50);
        return v.Errors;
    }
}
