using System.Globalization;
using Cimeika.Web.Infrastructure.Api;
using Cimeika.Web.Infrastructure.Text;

namespace Cimeika.Web.Modules.Nastrij;

/// <summary>The mood form as posted by a browser; the time is the family's local time.</summary>
public sealed class MoodForm
{
    private const string LocalFormat = "yyyy-MM-ddTHH:mm";

    public string? Mood { get; set; }
    public string? Intensity { get; set; } = "5";
    public string? Context { get; set; }
    public string? Triggers { get; set; }
    public string? Notes { get; set; }
    public string? FeltAt { get; set; }

    public static MoodForm From(MoodEntry entry) => new()
    {
        Mood = entry.Mood,
        Intensity = entry.Intensity.ToString(CultureInfo.InvariantCulture),
        Context = entry.Context,
        Triggers = TextInput.JoinList(entry.Triggers),
        Notes = entry.Notes,
        FeltAt = Display.ToFamilyTime(entry.FeltAt).ToString(LocalFormat, CultureInfo.InvariantCulture),
    };

    public (MoodInput Input, IReadOnlyList<FieldError> Errors) ToInput()
    {
        var validator = new Validator();
        int? intensity = null;
        if (int.TryParse(Intensity, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)) intensity = parsed;
        else if (!string.IsNullOrWhiteSpace(Intensity)) validator.Add("intensity", ValidationCodes.OutOfRange, 1, 10);
        DateTime? feltAt = null;
        if (!string.IsNullOrWhiteSpace(FeltAt))
        {
            if (DateTime.TryParseExact(FeltAt.Trim(), [LocalFormat, "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                feltAt = Display.FromFamilyTime(local);
            }
            else
            {
                validator.Add("felt_at", ValidationCodes.InvalidDate);
            }
        }
        var input = new MoodInput
        {
            Mood = Mood,
            Intensity = intensity,
            Context = Context,
            Triggers = TextInput.SplitList(Triggers),
            Notes = Notes,
            FeltAt = feltAt,
        }.Normalized();
        return (input, input.Validate(validator));
    }
}
