namespace Cimeika.Web.Modules.Account;

/// <summary>One labelled form field with its message (the account forms' <c>_Field</c> partial).</summary>
public sealed record FieldView(
    string Name,
    string LabelKey,
    string? Value,
    string? Error,
    string Type = "text",
    string? AutoComplete = null,
    bool Required = false,
    int MaxLength = 200,
    IReadOnlyList<(string Value, string LabelKey)>? Options = null);
