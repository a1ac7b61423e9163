namespace Cimeika.Web.Modules.Nastrij;

/// <summary>The mood fields partial's model: values, messages and an id prefix.</summary>
public sealed record MoodFieldsView(MoodForm Form, IReadOnlyDictionary<string, string> Errors, string IdPrefix)
{
    public string Id(string field) => $"{IdPrefix}-{field}";

    public string? Error(string field) => Errors.GetValueOrDefault(field);
}
