using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Infrastructure.Api;

/// <summary>One invalid field: a stable code (used by the API) and arguments for the localized message.</summary>
public sealed record FieldError(string Field, string Code, params object[] Args)
{
    public string Message(IStringLocalizer localizer) => localizer[$"Validation.{Code}", Args];
}

public static class ValidationCodes
{
    public const string Required = "required";
    public const string TooLong = "too_long";
    public const string TooMany = "too_many";
    public const string InvalidChoice = "invalid_choice";
    public const string InvalidDate = "invalid_date";
    public const string InvalidType = "invalid_type";
    public const string InvalidCharacter = "invalid_character";
    public const string TooShort = "too_short";
    public const string CommonPassword = "common_password";
    public const string InvalidEmail = "invalid_email";
    public const string Taken = "taken";
    public const string Mismatch = "mismatch";
    public const string OutOfRange = "out_of_range";
}

/// <summary>Small checks shared by every module's input records.</summary>
public sealed class Validator
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public void Add(string field, string code, params object[] args) => _errors.Add(new FieldError(field, code, args));

    public void Text(string field, string? value, int maxLength, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, ValidationCodes.Required);
            return;
        }
        if (value.Length > maxLength) Add(field, ValidationCodes.TooLong, maxLength);
    }

    public void Choice(string field, string? value, IReadOnlyCollection<string> allowed)
    {
        if (value is null || !allowed.Contains(value)) Add(field, ValidationCodes.InvalidChoice, string.Join(", ", allowed));
    }

    public void List(string field, IReadOnlyList<string> items, int maxItems, int maxItemLength)
    {
        if (items.Count > maxItems) Add(field, ValidationCodes.TooMany, maxItems);
        else if (items.Any(i => i.Length > maxItemLength)) Add(field, ValidationCodes.TooLong, maxItemLength);
        else if (items.Any(i => i.Contains(','))) Add(field, ValidationCodes.InvalidCharacter, ",");
    }
}

public static class TextInput
{
    /// <summary>Trimmed, or null when blank; NUL characters dropped.</summary>
    public static string? Clean(string? value) => NullIfBlank(WithoutNul(value))?.Trim();

    /// <summary>Multi-line text without surrounding line breaks, or null when blank; NUL characters dropped.</summary>
    public static string? CleanMultiline(string? value) => NullIfBlank(WithoutNul(value))?.Trim('\r', '\n');

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    // PostgreSQL text cannot hold U+0000 (the statement would fail), and it never means anything in user text.
    private static string? WithoutNul(string? value) => value?.Replace("\0", "");

    /// <summary>A comma-separated form field as a distinct list (case-insensitive), blanks dropped.</summary>
    public static IReadOnlyList<string> SplitList(string? value) => DistinctItems((value ?? "").Split(','));

    public static IReadOnlyList<string> DistinctItems(IEnumerable<string?> items) => items
        .Select(Clean)
        .Where(i => i is not null)
        .Select(i => i!)
        .Distinct(StringComparer.OrdinalIgnoreCase)
        .ToList();

    public static string JoinList(IEnumerable<string> items) => string.Join(", ", items);
}
