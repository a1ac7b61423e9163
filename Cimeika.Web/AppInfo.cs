using System.Reflection;

[assembly: System.Resources.NeutralResourcesLanguage("uk")]

namespace Cimeika.Web;

public static class AppInfo
{
    /// <summary>The informational version: the package version plus the git commit when the build knew it.</summary>
    public static string Version { get; } =
        typeof(AppInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}

/// <summary>Marker type for the shared UI resources (Resources/SharedResource*.resx).</summary>
public sealed class SharedResource;
