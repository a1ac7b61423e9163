using System.Security.Cryptography;

namespace Cimeika.Web.Tests.Support;

/// <summary>Values that pass the production configuration checks, for tests that run the app as production.</summary>
public static class ProductionSettings
{
    public static string SecretKey { get; } = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 48);
    public static string StrongPassword { get; } = RandomNumberGenerator.GetHexString(32);

    /// <summary>
    /// Settings for a production factory that needs no database (it points at a closed port, so the
    /// strong password is never used), plus <paramref name="extra"/>.
    /// </summary>
    public static Dictionary<string, string?> WithoutDatabase(params (string Key, string? Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["POSTGRES_HOST"] = "127.0.0.1",
            ["POSTGRES_PORT"] = "1",
            ["POSTGRES_PASSWORD"] = StrongPassword,
            ["SECRET_KEY"] = SecretKey,
        };
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }
}
