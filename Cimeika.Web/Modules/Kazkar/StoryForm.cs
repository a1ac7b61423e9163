using System.Globalization;
using Cimeika.Web.Infrastructure.Api;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Kazkar;

/// <summary>The story form as posted by a browser: every field a string, converted and validated by <see cref="ToInput"/>.</summary>
public sealed class StoryForm
{
    public string? Title { get; set; }
    public string? Content { get; set; }
    public string? StoryType { get; set; } = StoryTypes.Story;
    public string? Participants { get; set; }
    public string? Location { get; set; }
    public string? Tags { get; set; }
    public string? HappenedOn { get; set; }

    public static StoryForm From(Story story) => new()
    {
        Title = story.Title,
        Content = story.Content,
        StoryType = story.StoryType,
        Participants = TextInput.JoinList(story.Participants),
        Location = story.Location,
        Tags = TextInput.JoinList(story.Tags),
        HappenedOn = story.HappenedOnDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    public (StoryInput Input, IReadOnlyList<FieldError> Errors) ToInput()
    {
        var validator = new Validator();
        DateOnly? happenedOn = null;
        if (!string.IsNullOrWhiteSpace(HappenedOn))
        {
            if (DateOnly.TryParseExact(HappenedOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                happenedOn = date;
            }
            else
            {
                validator.Add("happened_on", ValidationCodes.InvalidDate);
            }
        }
        var input = new StoryInput
        {
            Title = Title,
            Content = Content,
            StoryType = StoryType,
            Participants = TextInput.SplitList(Participants),
            Location = Location,
            Tags = TextInput.SplitList(Tags),
            HappenedOn = happenedOn,
        }.Normalized();
        return (input, input.Validate(validator));
    }
}

/// <summary>What the form partial needs: values, messages, where it posts and how its ids are prefixed.</summary>
public sealed record StoryFormView(
    StoryForm Form,
    IReadOnlyDictionary<string, string> Errors,
    string Action,
    string IdPrefix,
    long? StoryId = null,
    string? Notice = null)
{
    public static IReadOnlyDictionary<string, string> Messages(IEnumerable<FieldError> errors, IStringLocalizer localizer) =>
        errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.First().Message(localizer));

    public string Id(string field) => $"{IdPrefix}-{field}";

    public string? Error(string field) => Errors.GetValueOrDefault(field);
}
