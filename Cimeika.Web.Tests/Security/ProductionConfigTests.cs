using Cimeika.Web.Infrastructure.Configuration;
using Cimeika.Web.Tests.Support;
using Microsoft.Extensions.Configuration;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Security;

/// <summary>With ENVIRONMENT=production, unsafe settings stop the app: checked in process and on the real process.</summary>
public sealed class ProductionConfigTests
{
    private const string StrongSecret = "k3J9vQ2mX7pL5sR8tW1yZ4bN6cF0hD3g";
    private const string StrongPassword = "Vb8#rT2q!Lm5";

    internal static IReadOnlyList<string> Problems(string environment, params (string Key, string? Value)[] values)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => v.Value)).Build();
        return SettingsReader.Read(config, environment).Problems;
    }

    private static IReadOnlyList<string> Production(params (string Key, string? Value)[] overrides)
    {
        var values = new Dictionary<string, string?> { ["POSTGRES_PASSWORD"] = StrongPassword, ["SECRET_KEY"] = StrongSecret };
        foreach (var (key, value) in overrides) values[key] = value;
        return Problems("Production", values.Select(v => (v.Key, v.Value)).ToArray());
    }

    [Test]
    public void Safe_production_settings_pass()
    {
        Assert.That(Production(), Is.Empty);
        Assert.That(Production(("REDIS_PASSWORD", "Zr4!pQ9w"), ("CORS_ORIGINS", "https://family.example"), ("DEBUG", "false")), Is.Empty);
    }

    [TestCase("change_me_in_production")]
    [TestCase("CHANGE-ME")]
    [TestCase("changeme")]
    [TestCase(" postgres ")]
    [TestCase("Password")]
    [TestCase("secret")]
    [TestCase("admin")]
    [TestCase("123456")]
    [TestCase("")]
    [TestCase("   ")]
    public void Empty_or_well_known_passwords_and_secrets_are_refused(string value)
    {
        Assert.That(Production(("POSTGRES_PASSWORD", value)), Has.One.StartsWith("POSTGRES_PASSWORD is empty or a well-known default"));
        Assert.That(Production(("SECRET_KEY", value)), Has.One.StartsWith("SECRET_KEY is empty or a well-known default"));
        Assert.That(Production(("REDIS_PASSWORD", value)), Has.One.StartsWith("REDIS_PASSWORD is set but empty or a well-known default"));
    }

    [Test]
    public void A_missing_secret_key_is_refused_and_an_unset_redis_password_is_fine()
    {
        var problems = Problems("Production", ("POSTGRES_PASSWORD", StrongPassword));

        Assert.That(problems, Is.EqualTo(new[]
        {
            "SECRET_KEY is empty or a well-known default: set a random value of at least 32 characters (for example: openssl rand -base64 48).",
        }));
    }

    [Test]
    public void Secret_key_needs_32_characters()
    {
        Assert.That(Production(("SECRET_KEY", StrongSecret[..31])), Is.EqualTo(new[] { "SECRET_KEY is shorter than 32 characters." }));
        Assert.That(Production(("SECRET_KEY", StrongSecret[..32])), Is.Empty);
    }

    [Test]
    public void Cors_open_to_any_origin_or_to_plain_http_is_refused()
    {
        var problems = Production(("CORS_ORIGINS", "https://family.example,*,http://family.example"));

        Assert.That(problems, Has.Count.EqualTo(2));
        Assert.That(problems, Has.One.Contains("must not contain '*'"));
        Assert.That(problems, Has.One.Contains("'http://family.example' is not https://"));
    }

    [Test]
    public void Debug_is_refused()
    {
        Assert.That(Production(("DEBUG", "true")), Is.EqualTo(new[] { "DEBUG must be false in production." }));
    }

    [Test]
    public void Development_is_not_held_to_the_production_rules()
    {
        Assert.That(Problems("Development", ("POSTGRES_PASSWORD", "postgres"), ("SECRET_KEY", "dev"), ("CORS_ORIGINS", "*"), ("DEBUG", "true")), Is.Empty);
    }

    [Test]
    public void Origins_that_a_browser_would_never_send_are_refused_everywhere()
    {
        var problems = Problems("Development", ("CORS_ORIGINS", "https://family.example/, family.example, https://family.example/app, https://ok.example:8443"));

        Assert.That(problems, Has.Count.EqualTo(3));
        Assert.That(problems, Has.All.Contains("is not an origin"));
    }

    [Test]
    public async Task The_real_app_refuses_to_start_with_one_line_per_problem_and_no_secret_values()
    {
        var (code, output) = await AppProcess.RunToExitAsync(new Dictionary<string, string?>
        {
            ["ENVIRONMENT"] = "production",
            ["POSTGRES_PASSWORD"] = "Change_Me_In_Production",
            ["SECRET_KEY"] = "Xq7-short-secret-value",
            ["REDIS_PASSWORD"] = "Passw0rd",
            ["CORS_ORIGINS"] = "*,http://family.example",
            ["DEBUG"] = "true",
        });
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(lines[0], Is.EqualTo("Invalid configuration:"));
        Assert.That(lines.Skip(1), Has.All.StartWith("- "), output);
        Assert.That(lines.Skip(1).Select(l => l.Split(' ')[1]), Is.EqualTo(new[]
        {
            "POSTGRES_PASSWORD", "SECRET_KEY", "REDIS_PASSWORD", "CORS_ORIGINS", "CORS_ORIGINS", "DEBUG",
        }), output);
        Assert.That(output, Does.Not.Contain("Change_Me_In_Production").And.Not.Contain("Xq7-short-secret-value").And.Not.Contain("Passw0rd"));
    }

    [Test]
    public async Task The_real_app_refuses_empty_secrets_and_a_redis_password_set_to_nothing()
    {
        var (code, output) = await AppProcess.RunToExitAsync(new Dictionary<string, string?>
        {
            ["ENVIRONMENT"] = "production",
            ["POSTGRES_PASSWORD"] = "",
            ["REDIS_PASSWORD"] = "",
        });

        Assert.That(code, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("- POSTGRES_PASSWORD is empty or a well-known default"));
        Assert.That(output, Does.Contain("- SECRET_KEY is empty or a well-known default"));
        Assert.That(output, Does.Contain("- REDIS_PASSWORD is set but empty"));
    }
}

public sealed class SecuritySettingsTests
{
    [Test]
    public void Defaults_are_60_per_minute_1000_per_hour_10_for_sign_in_and_1_mb_bodies()
    {
        var config = new ConfigurationBuilder().Build();
        var security = SettingsReader.Read(config, "Development").App.Security;

        Assert.That((security.RateLimitPerMinute, security.RateLimitPerHour, security.AuthRateLimitPerMinute, security.MaxRequestBodyBytes),
            Is.EqualTo((60, 1000, 10, 1024 * 1024)));
        Assert.That(security.KnownProxies, Is.Empty);
        Assert.That(security.HttpsPort, Is.Null);
    }

    [Test]
    public void Limits_proxies_and_ports_are_read()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RATE_LIMIT_PER_MINUTE"] = "120", ["RATE_LIMIT_PER_HOUR"] = "2000", ["RATE_LIMIT_AUTH_PER_MINUTE"] = "5",
            ["MAX_REQUEST_BODY_BYTES"] = "2097152", ["KNOWN_PROXIES"] = "10.0.0.5, ::1", ["KNOWN_NETWORKS"] = "172.16.0.0/12,fd00::/8",
            ["HTTPS_PORT"] = "8443",
        }).Build();
        var (app, _, problems) = SettingsReader.Read(config, "Development");
        var security = app.Security;

        Assert.That(problems, Is.Empty);
        Assert.That((security.RateLimitPerMinute, security.RateLimitPerHour, security.AuthRateLimitPerMinute, security.MaxRequestBodyBytes),
            Is.EqualTo((120, 2000, 5, 2097152)));
        Assert.That(security.KnownProxies.Select(p => p.ToString()), Is.EqualTo(new[] { "10.0.0.5", "::1" }));
        Assert.That(security.KnownNetworks.Select(n => n.ToString()), Is.EqualTo(new[] { "172.16.0.0/12", "fd00::/8" }));
        Assert.That(security.HttpsPort, Is.EqualTo(8443));
    }

    [Test]
    public void Invalid_limits_proxies_and_ports_are_each_reported()
    {
        var problems = ProductionConfigTests.Problems("Development",
            ("RATE_LIMIT_PER_MINUTE", "0"), ("RATE_LIMIT_PER_HOUR", "lots"), ("RATE_LIMIT_AUTH_PER_MINUTE", "-1"),
            ("MAX_REQUEST_BODY_BYTES", "10"), ("KNOWN_PROXIES", "10.0.0.5,proxy.local"), ("KNOWN_NETWORKS", "10.0.0.0"),
            ("HTTPS_PORT", "70000"));

        Assert.That(problems.Select(p => p.Split(' ')[0]), Is.EquivalentTo(new[]
        {
            "RATE_LIMIT_PER_MINUTE", "RATE_LIMIT_PER_HOUR", "RATE_LIMIT_AUTH_PER_MINUTE", "MAX_REQUEST_BODY_BYTES",
            "KNOWN_PROXIES", "KNOWN_NETWORKS", "HTTPS_PORT",
        }));
        Assert.That(problems, Has.One.Contains("'proxy.local'"));
    }
}
