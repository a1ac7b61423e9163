using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Cimeika.Web.Tests.Support;

/// <summary>The real app in memory, on a real PostgreSQL database.</summary>
public sealed class CimeikaFactory(
    string database,
    string environment = "Development",
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? services = null) : WebApplicationFactory<Program>
{
    public string Database { get; } = database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("POSTGRES_HOST", TestDatabase.Host);
        builder.UseSetting("POSTGRES_PORT", TestDatabase.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("POSTGRES_USER", TestDatabase.User);
        builder.UseSetting("POSTGRES_PASSWORD", TestDatabase.Password);
        builder.UseSetting("POSTGRES_DB", Database);
        builder.UseSetting("LOG_LEVEL", "Warning");
        // Tests make many requests from one client; the rate-limit tests pass low limits of their own.
        builder.UseSetting("RATE_LIMIT_PER_MINUTE", "1000000");
        builder.UseSetting("RATE_LIMIT_PER_HOUR", "100000000");
        builder.UseSetting("RATE_LIMIT_AUTH_PER_MINUTE", "1000000");
        builder.UseSetting("SHUTDOWN_DELAY_SECONDS", "0");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<IStartupFilter, TestRemoteAddress>();
            services?.Invoke(s);
        });
    }

    /// <summary>The owner of this factory's database (created on first use, as /setup would).</summary>
    public async Task<Cimeika.Web.Infrastructure.Identity.User> EnsureOwnerAsync()
    {
        var users = Services.GetRequiredService<Cimeika.Web.Infrastructure.Identity.UserStore>();
        return await users.FindByEmailAsync(SharedApp.OwnerEmail, CancellationToken.None)
            ?? (await users.CreateFirstOwnerAsync("Тестова родина", SharedApp.OwnerEmail, "Оксана", SharedApp.OwnerPassword, CancellationToken.None))!;
    }

    /// <summary>A browser client signed in as this database's owner.</summary>
    public async Task<HttpClient> CreateSignedInClientAsync()
    {
        await EnsureOwnerAsync();
        var client = CreateBrowserClient();
        await client.SignInAsync(SharedApp.OwnerEmail, SharedApp.OwnerPassword);
        return client;
    }

    /// <summary>The owner's session cookie (<c>name=value</c>), for clients that set their Cookie header themselves.</summary>
    public async Task<string> SessionCookieAsync()
    {
        await EnsureOwnerAsync();
        using var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var page = await client.GetAsync("/signin");
        var antiforgery = page.Headers.GetValues("Set-Cookie").First(c => c.Contains("-af=") || c.StartsWith("cimeika.af=", StringComparison.Ordinal)).Split(';')[0];
        var token = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(await page.Content.ReadAsStringAsync(),
            "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value);
        var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent([new("Email", SharedApp.OwnerEmail), new("Password", SharedApp.OwnerPassword), new("__RequestVerificationToken", token)]),
        };
        request.Headers.Add("Cookie", antiforgery);
        var response = await client.SendAsync(request);
        return response.Headers.GetValues("Set-Cookie").First(c => c.Contains("cimeika=") || c.StartsWith("cimeika.session=", StringComparison.Ordinal)).Split(';')[0];
    }

    /// <summary>A new API token of this database's owner.</summary>
    public async Task<string> CreateOwnerTokenAsync()
    {
        var owner = await EnsureOwnerAsync();
        var (_, secret) = await Services.GetRequiredService<Cimeika.Web.Infrastructure.Identity.TokenStore>()
            .CreateAsync(owner.Id, "tests", CancellationToken.None);
        return secret;
    }

    public HttpClient CreateBrowserClient() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
    });
}
