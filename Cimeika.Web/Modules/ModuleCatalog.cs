namespace Cimeika.Web.Modules;

/// <summary>One of the seven modules: its slug, page path and theme. Names and descriptions are resources.</summary>
public sealed record ModuleDescriptor(string Slug, string Path, string Theme)
{
    public string NameKey => $"Module.{Slug}.Name";
    public string DescriptionKey => $"Module.{Slug}.Description";
}

public static class ModuleCatalog
{
    public const string DayTheme = "day";
    public const string NightTheme = "night";
    /// <summary>Day or night after the visitor's prefers-color-scheme (the operator dashboard).</summary>
    public const string AutoTheme = "auto";

    /// <summary>The earlier system's navigation order.</summary>
    public static readonly IReadOnlyList<ModuleDescriptor> Navigation =
    [
        new("ci", "/ci", DayTheme),
        new("podija", "/podija", DayTheme),
        new("nastrij", "/nastrij", DayTheme),
        new("malya", "/malya", DayTheme),
        new("kazkar", "/kazkar", NightTheme),
        new("calendar", "/calendar", DayTheme),
        new("gallery", "/gallery", DayTheme),
    ];

    /// <summary>The earlier API's module order (<c>/api/v1/modules/</c>).</summary>
    public static readonly IReadOnlyList<string> ApiOrder = ["ci", "kazkar", "podija", "nastrij", "malya", "gallery", "calendar"];

    public static ModuleDescriptor? Find(string? slug) =>
        Navigation.FirstOrDefault(m => string.Equals(m.Slug, slug, StringComparison.OrdinalIgnoreCase));

    public static string ThemeOf(string? slug) => Find(slug)?.Theme ?? DayTheme;
}
