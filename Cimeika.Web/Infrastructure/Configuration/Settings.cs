using Npgsql;

namespace Cimeika.Web.Infrastructure.Configuration;

/// <summary>Application settings read from the checklist's environment variable names.</summary>
public sealed class AppSettings
{
    public required string EnvironmentName { get; init; }
    public bool Debug { get; init; }
    public required string LogLevel { get; init; }
    public string? SecretKey { get; init; }
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];
    public string? SentryDsn { get; init; }
    public double? SentryTracesSampleRate { get; init; }
    public string? SeqUrl { get; init; }
    public string? SeqApiKey { get; init; }
    public string? OpenAiApiKey { get; init; }
    public string? OpenAiBaseUrl { get; init; }
    public string? AnthropicApiKey { get; init; }
    public string? RedisPassword { get; init; }
    public int SessionLifetimeDays { get; init; } = 14;
    public SecuritySettings Security { get; init; } = new();
    public MonitoringSettings Monitoring { get; init; } = new();
}

/// <summary>Metrics, graceful shutdown and the operator dashboard's collector (METRICS_*, SHUTDOWN_*, HEALTHCHECKS_*).</summary>
public sealed class MonitoringSettings
{
    /// <summary>Networks besides loopback that may read <c>/metrics</c>.</summary>
    public IReadOnlyList<System.Net.IPNetwork> MetricsAllowedNetworks { get; init; } = [];

    /// <summary>How long <c>/ready</c> answers 503 before the server stops accepting requests.</summary>
    public TimeSpan ShutdownDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Health endpoints polled besides the app's own checks, in the order given.</summary>
    public IReadOnlyList<NamedUri> HealthEndpoints { get; init; } = [];
    public TimeSpan HealthInterval { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan HealthRetention { get; init; } = TimeSpan.FromDays(30);
    public IReadOnlyList<NamedUri> Webhooks { get; init; } = [];
    public string? WebhookFailurePayload { get; init; }
    public string? WebhookRecoveryPayload { get; init; }
    public TimeSpan MinimumTimeBetweenFailureNotifications { get; init; } = TimeSpan.FromMinutes(10);
}

public sealed record NamedUri(string Name, Uri Uri);

/// <summary>PostgreSQL connection settings (POSTGRES_*).</summary>
public sealed class DatabaseSettings
{
    public required string Host { get; init; }
    public int Port { get; init; } = 5432;
    public required string Database { get; init; }
    public required string Username { get; init; }
    public string Password { get; init; } = "";
    public int MaxPoolSize { get; init; } = 50;
    public int ConnectTimeoutSeconds { get; init; } = 5;
    public int CommandTimeoutSeconds { get; init; } = 30;

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Database = Database,
        Username = Username,
        Password = Password,
        MaxPoolSize = MaxPoolSize,
        Timeout = ConnectTimeoutSeconds,
        CommandTimeout = CommandTimeoutSeconds,
        ApplicationName = "cimeika",
    }.ConnectionString;
}

/// <summary>
/// Reads <see cref="AppSettings"/> and <see cref="DatabaseSettings"/> from configuration keys named
/// like the environment variables, collecting every problem instead of stopping at the first.
/// </summary>
public static partial class SettingsReader
{
    /// <summary>The operator dashboard's name for the app's own checks.</summary>
    public const string SelfEndpointName = "cimeika";

    private static readonly string[] LogLevels =
        ["trace", "verbose", "debug", "information", "info", "warning", "warn", "error", "critical", "fatal"];

    public static (AppSettings App, DatabaseSettings Database, IReadOnlyList<string> Problems) Read(
        IConfiguration config, string hostEnvironmentName)
    {
        var problems = new List<string>();

        var environment = config["ENVIRONMENT"];
        if (!string.IsNullOrWhiteSpace(environment) && EnvironmentNames.ToHostName(environment) is null)
        {
            problems.Add("ENVIRONMENT must be 'development' or 'production'.");
        }

        var logLevel = Trimmed(config["LOG_LEVEL"]) ?? "Information";
        if (!LogLevels.Contains(logLevel.ToLowerInvariant()))
        {
            problems.Add("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (or a .NET level name).");
        }

        var app = new AppSettings
        {
            EnvironmentName = hostEnvironmentName,
            Debug = ReadBool(config, "DEBUG", problems),
            LogLevel = logLevel,
            SecretKey = Trimmed(config["SECRET_KEY"]),
            CorsOrigins = ReadCorsOrigins(config, hostEnvironmentName, problems),
            SentryDsn = Trimmed(config["SENTRY_DSN"]),
            SentryTracesSampleRate = ReadRate(config, "SENTRY_TRACES_SAMPLE_RATE", problems),
            SeqUrl = Trimmed(config["SEQ_URL"]),
            SeqApiKey = Trimmed(config["SEQ_API_KEY"]),
            OpenAiApiKey = Trimmed(config["OPENAI_API_KEY"]),
            OpenAiBaseUrl = Trimmed(config["OPENAI_BASE_URL"]),
            AnthropicApiKey = Trimmed(config["ANTHROPIC_API_KEY"]),
            RedisPassword = config["REDIS_PASSWORD"],
            SessionLifetimeDays = ReadInt(config, "SESSION_LIFETIME_DAYS", 14, 1, 365, problems),
            Security = ReadSecurity(config, problems),
            Monitoring = ReadMonitoring(config, hostEnvironmentName, problems),
        };

        var database = new DatabaseSettings
        {
            Host = Trimmed(config["POSTGRES_HOST"]) ?? "127.0.0.1",
            Port = ReadInt(config, "POSTGRES_PORT", 5432, 1, 65535, problems),
            Database = Trimmed(config["POSTGRES_DB"]) ?? "cimeika",
            Username = Trimmed(config["POSTGRES_USER"]) ?? "cimeika",
            Password = config["POSTGRES_PASSWORD"] ?? "",
            MaxPoolSize = ReadInt(config, "POSTGRES_POOL_SIZE", 50, 1, 1000, problems),
        };

        if (hostEnvironmentName == Environments.Production)
        {
            problems.AddRange(ProductionChecks.Check(app, database));
        }
        return (app, database, problems);
    }

    private static MonitoringSettings ReadMonitoring(IConfiguration config, string hostEnvironmentName, List<string> problems)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var cidr in (config["METRICS_ALLOWED_NETWORKS"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPNetwork.TryParse(cidr, out var network))
            {
                networks.Add(network);
            }
            else
            {
                problems.Add("METRICS_ALLOWED_NETWORKS must be comma-separated CIDR networks such as 10.0.0.0/8.");
                break;
            }
        }
        var endpoints = ReadNamedUris(config, "HEALTHCHECKS_ENDPOINTS", problems);
        if (endpoints.Any(e => e.Name == SelfEndpointName))
        {
            problems.Add($"HEALTHCHECKS_ENDPOINTS: the name '{SelfEndpointName}' is taken by the app's own checks.");
        }
        // Development stops at once; production gives load balancers time to see /ready fail.
        var defaultDelay = hostEnvironmentName == Environments.Development ? 0 : 5;
        return new MonitoringSettings
        {
            MetricsAllowedNetworks = networks,
            ShutdownDelay = TimeSpan.FromSeconds(ReadInt(config, "SHUTDOWN_DELAY_SECONDS", defaultDelay, 0, 300, problems)),
            HealthEndpoints = endpoints,
            HealthInterval = TimeSpan.FromSeconds(ReadInt(config, "HEALTHCHECKS_INTERVAL_SECONDS", 10, 1, 86400, problems)),
            HealthTimeout = TimeSpan.FromSeconds(ReadInt(config, "HEALTHCHECKS_TIMEOUT_SECONDS", 5, 1, 300, problems)),
            HealthRetention = TimeSpan.FromDays(ReadInt(config, "HEALTHCHECKS_RETENTION_DAYS", 30, 1, 3650, problems)),
            Webhooks = ReadNamedUris(config, "HEALTHCHECKS_WEBHOOKS", problems),
            WebhookFailurePayload = Trimmed(config["HEALTHCHECKS_WEBHOOK_FAILURE_PAYLOAD"]),
            WebhookRecoveryPayload = Trimmed(config["HEALTHCHECKS_WEBHOOK_RECOVERY_PAYLOAD"]),
            MinimumTimeBetweenFailureNotifications = TimeSpan.FromSeconds(
                ReadInt(config, "HEALTHCHECKS_NOTIFY_MIN_INTERVAL_SECONDS", 600, 0, 604800, problems)),
        };
    }

    /// <summary><c>name=url;name2=url2</c>: absolute http(s) URLs with unique names.</summary>
    private static IReadOnlyList<NamedUri> ReadNamedUris(IConfiguration config, string key, List<string> problems)
    {
        var result = new List<NamedUri>();
        foreach (var pair in (config[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var separator = pair.IndexOf('=');
            var name = separator > 0 ? pair[..separator].Trim() : "";
            var url = separator > 0 ? pair[(separator + 1)..].Trim() : "";
            if (name.Length == 0 || name.Length > 100
                || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || result.Any(r => r.Name == name))
            {
                problems.Add($"{key} must be name=url pairs separated by ';' with unique names and http(s) URLs.");
                return [];
            }
            result.Add(new NamedUri(name, uri));
        }
        return result;
    }

    private static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool ReadBool(IConfiguration config, string key, List<string> problems)
    {
        var raw = Trimmed(config[key]);
        if (raw is null) return false;
        switch (raw.ToLowerInvariant())
        {
            case "1" or "true" or "yes" or "on": return true;
            case "0" or "false" or "no" or "off": return false;
            default:
                problems.Add($"{key} must be true or false.");
                return false;
        }
    }

    private static int ReadInt(IConfiguration config, string key, int fallback, int min, int max, List<string> problems)
    {
        var raw = Trimmed(config[key]);
        if (raw is null) return fallback;
        if (int.TryParse(raw, out var value) && value >= min && value <= max) return value;
        problems.Add($"{key} must be a whole number from {min} to {max}.");
        return fallback;
    }

    private static double? ReadRate(IConfiguration config, string key, List<string> problems)
    {
        var raw = Trimmed(config[key]);
        if (raw is null) return null;
        if (double.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1)
        {
            return value;
        }
        problems.Add($"{key} must be a number from 0 to 1.");
        return null;
    }
}

/// <summary>Maps the checklist's ENVIRONMENT values onto ASP.NET Core's environment names.</summary>
public static class EnvironmentNames
{
    public static string? ToHostName(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "development" or "dev" => Environments.Development,
        "production" or "prod" => Environments.Production,
        _ => null,
    };
}
