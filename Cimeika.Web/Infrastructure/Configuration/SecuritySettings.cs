using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Cimeika.Web.Infrastructure.Configuration;

/// <summary>TLS, proxy trust, rate limits and request size (see docs/SECURITY.md).</summary>
public sealed record SecuritySettings
{
    public const int DefaultMaxRequestBodyBytes = 1024 * 1024;

    public int RateLimitPerMinute { get; init; } = 60;
    public int RateLimitPerHour { get; init; } = 1000;
    public int AuthRateLimitPerMinute { get; init; } = 10;
    public int MaxRequestBodyBytes { get; init; } = DefaultMaxRequestBodyBytes;

    /// <summary>Proxies whose X-Forwarded-For/Proto are believed; when both lists are empty, loopback only.</summary>
    public IReadOnlyList<IPAddress> KnownProxies { get; init; } = [];
    public IReadOnlyList<IPNetwork> KnownNetworks { get; init; } = [];

    public string? TlsCertificatePath { get; init; }
    public string? TlsKeyPath { get; init; }

    /// <summary>Where HTTP is redirected to; with a TLS certificate the app also listens there when no https:// address is given.</summary>
    public int? HttpsPort { get; init; }

    public bool HasTlsCertificate => TlsCertificatePath is not null && TlsKeyPath is not null;
}

public static partial class SettingsReader
{
    // The usual front-end dev servers (React, Vite, another .NET app).
    private static readonly string[] DevelopmentCorsOrigins = ["http://localhost:3000", "http://localhost:5173", "http://localhost:5000"];

    private static IReadOnlyList<string> ReadCorsOrigins(IConfiguration config, string hostEnvironmentName, List<string> problems)
    {
        var origins = (config["CORS_ORIGINS"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (origins.Length == 0)
        {
            return hostEnvironmentName == Environments.Development ? DevelopmentCorsOrigins : [];
        }
        // The browser sends an origin as scheme://host[:port]; anything else would silently never match.
        foreach (var origin in origins.Where(o => o != "*" && !IsOrigin(o)))
        {
            problems.Add($"CORS_ORIGINS entry '{origin}' is not an origin: write scheme://host[:port], without a path.");
        }
        return origins;
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.GetLeftPart(UriPartial.Authority).Equals(value, StringComparison.OrdinalIgnoreCase);

    private static SecuritySettings ReadSecurity(IConfiguration config, List<string> problems)
    {
        var settings = new SecuritySettings
        {
            RateLimitPerMinute = ReadInt(config, "RATE_LIMIT_PER_MINUTE", 60, 1, 1_000_000, problems),
            RateLimitPerHour = ReadInt(config, "RATE_LIMIT_PER_HOUR", 1000, 1, 100_000_000, problems),
            AuthRateLimitPerMinute = ReadInt(config, "RATE_LIMIT_AUTH_PER_MINUTE", 10, 1, 1_000_000, problems),
            MaxRequestBodyBytes = ReadInt(config, "MAX_REQUEST_BODY_BYTES", SecuritySettings.DefaultMaxRequestBodyBytes,
                1024, int.MaxValue, problems),
            KnownProxies = ReadList(config, "KNOWN_PROXIES", "IP addresses",
                (string text, out IPAddress address) => IPAddress.TryParse(text, out address!), problems),
            KnownNetworks = ReadList(config, "KNOWN_NETWORKS", "networks in CIDR notation (10.0.0.0/8)",
                (string text, out IPNetwork network) => IPNetwork.TryParse(text, out network), problems),
            TlsCertificatePath = Trimmed(config["TLS_CERT_PATH"]),
            TlsKeyPath = Trimmed(config["TLS_KEY_PATH"]),
            HttpsPort = ReadPort(config, "HTTPS_PORT", problems),
        };
        CheckTlsFiles(settings, problems);
        return settings;
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static IReadOnlyList<T> ReadList<T>(IConfiguration config, string key, string what, TryParse<T> parse, List<string> problems)
    {
        var items = new List<T>();
        foreach (var text in (config[key] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (parse(text, out var item)) items.Add(item);
            else problems.Add($"{key} must be comma-separated {what}; '{text}' is not one.");
        }
        return items;
    }

    private static int? ReadPort(IConfiguration config, string key, List<string> problems)
    {
        var raw = Trimmed(config[key]);
        if (raw is null) return null;
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535) return port;
        problems.Add($"{key} must be a port number from 1 to 65535.");
        return null;
    }

    /// <summary>Loads the PEM pair once so that a wrong path or key stops start-up with a clear line, not the first TLS handshake.</summary>
    private static void CheckTlsFiles(SecuritySettings settings, List<string> problems)
    {
        if (settings.TlsCertificatePath is null != settings.TlsKeyPath is null)
        {
            problems.Add("TLS_CERT_PATH and TLS_KEY_PATH must be set together.");
            return;
        }
        if (!settings.HasTlsCertificate) return;
        try
        {
            using var certificate = X509Certificate2.CreateFromPemFile(settings.TlsCertificatePath!, settings.TlsKeyPath);
            if (!certificate.HasPrivateKey)
            {
                problems.Add("TLS_KEY_PATH does not hold the private key of the certificate in TLS_CERT_PATH.");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            problems.Add($"TLS_CERT_PATH / TLS_KEY_PATH could not be loaded as a PEM certificate and private key: {e.Message}");
        }
    }
}
