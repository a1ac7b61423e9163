namespace Cimeika.Web.Infrastructure.Configuration;

/// <summary>
/// Settings that are unsafe in production stop start-up: empty or well-known passwords and secrets, a
/// short SECRET_KEY, CORS open to every origin or to plain-HTTP ones, DEBUG on. A problem names the
/// variable, never its value.
/// </summary>
public static class ProductionChecks
{
    public const int MinSecretKeyLength = 32;

    // Compared after lower-casing and dropping all but letters and digits, so that "Change-Me",
    // "change_me" and "CHANGEME" are all caught.
    private static readonly HashSet<string> WellKnownValues =
    [
        "changemeinproduction", "changeme", "changemeplease", "postgres", "postgresql", "password", "passw0rd",
        "password1", "secret", "secretkey", "mysecret", "supersecret", "yoursecretkey", "admin", "administrator",
        "root", "toor", "redis", "cimeika", "default", "example", "test", "testing", "qwerty", "letmein",
        "123456", "1234567", "12345678", "123456789", "1234567890", "000000", "111111",
    ];

    public static IEnumerable<string> Check(AppSettings app, DatabaseSettings database)
    {
        if (IsWeak(database.Password))
        {
            yield return "POSTGRES_PASSWORD is empty or a well-known default: set a strong password.";
        }
        if (IsWeak(app.SecretKey))
        {
            yield return "SECRET_KEY is empty or a well-known default: set a random value of at least "
                + $"{MinSecretKeyLength} characters (for example: openssl rand -base64 48).";
        }
        else if (app.SecretKey!.Length < MinSecretKeyLength)
        {
            yield return $"SECRET_KEY is shorter than {MinSecretKeyLength} characters.";
        }
        // Cimeika uses no Redis; a password that is set must still not be a default one.
        if (app.RedisPassword is not null && IsWeak(app.RedisPassword))
        {
            yield return "REDIS_PASSWORD is set but empty or a well-known default.";
        }
        foreach (var origin in app.CorsOrigins)
        {
            if (origin == "*")
            {
                yield return "CORS_ORIGINS must not contain '*' in production: list the exact https:// origins.";
            }
            else if (!origin.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                yield return $"CORS_ORIGINS entry '{origin}' is not https:// (only https origins are allowed in production).";
            }
        }
        if (app.Debug)
        {
            yield return "DEBUG must be false in production.";
        }
    }

    public static bool IsWeak(string? value) =>
        string.IsNullOrWhiteSpace(value)
        || WellKnownValues.Contains(new string(value.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant());
}
