using System.Globalization;

namespace Cimeika.Web.Infrastructure.Api;

/// <summary>Reads list query parameters, collecting field errors for a 422 answer.</summary>
public sealed class QueryParameters(IQueryCollection query)
{
    public Validator Validator { get; } = new();

    public string? Text(string name) => TextInput.Clean(query[name]);

    public int Int(string name, int fallback, int min, int max)
    {
        var raw = Text(name);
        if (raw is null) return fallback;
        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        Validator.Add(name, ValidationCodes.InvalidChoice, $"{min}-{max}");
        return fallback;
    }

    public string? Choice(string name, IReadOnlyCollection<string> allowed)
    {
        var value = Text(name);
        if (value is not null) Validator.Choice(name, value, allowed);
        return value;
    }

    public DateTime? Moment(string name)
    {
        var raw = Text(name);
        if (raw is null) return null;
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)) return moment.UtcDateTime;
        Validator.Add(name, ValidationCodes.InvalidDate);
        return null;
    }

    /// <summary>422 in the earlier API's shape when any parameter was invalid, else null.</summary>
    public IResult? Problem(Microsoft.Extensions.Localization.IStringLocalizer localizer) =>
        Validator.Errors.Count == 0
            ? null
            : Results.Json(new ValidationErrorBody(Validator.Errors
                    .Select(e => new ValidationErrorItem(["query", e.Field], e.Message(localizer), e.Code)).ToList()),
                statusCode: StatusCodes.Status422UnprocessableEntity);
}
