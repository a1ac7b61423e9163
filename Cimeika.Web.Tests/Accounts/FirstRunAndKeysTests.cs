using System.Diagnostics;
using System.Net;
using Cimeika.Web.Infrastructure.Identity;
using Cimeika.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Accounts;

/// <summary>A fresh instance, each test on its own database.</summary>
public sealed class FirstRunTests
{
    private string _database = null!;
    private CimeikaFactory _factory = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabase.CreateAsync("cimeika_fresh");
        _factory = new CimeikaFactory(_database);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _factory.DisposeAsync();
        await TestDatabase.DropAsync(_database);
    }

    private static KeyValuePair<string, string>[] SetupFields(string password = "Kalyna-u-sadu-42", string confirm = "Kalyna-u-sadu-42") =>
    [
        new("FamilyName", "Коваленки"), new("DisplayName", "Марія"), new("Email", "maria@cimeika.test"),
        new("Password", password), new("PasswordConfirm", confirm),
    ];

    [Test]
    public async Task Fresh_instance_sends_everyone_to_setup_which_creates_the_family_and_owner_once()
    {
        using var client = _factory.CreateBrowserClient();

        var page = await client.GetAsync("/kazkar");
        var signIn = await client.GetAsync("/signin");
        var token = await client.AntiforgeryTokenAsync("/setup");
        var created = await client.PostFormAsync("/setup", token, SetupFields());
        var afterwards = await client.GetAsync("/kazkar");

        Assert.That(page.Headers.Location?.OriginalString, Is.EqualTo("/setup"));
        Assert.That(signIn.Headers.Location?.OriginalString, Is.EqualTo("/setup"));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(created.Headers.Location?.OriginalString, Is.EqualTo("/ci"));
        Assert.That(afterwards.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the owner is signed in");
        Assert.That(await TestDatabase.ScalarAsync<string>(_database, "select f.name || '|' || u.role || '|' || u.email from users u join families f on f.id = u.family_id"),
            Is.EqualTo("Коваленки|owner|maria@cimeika.test"));
        Assert.That(await TestDatabase.ScalarAsync<string>(_database, "select password_hash from users"), Does.Not.Contain("Kalyna"));

        using var stranger = _factory.CreateBrowserClient();
        Assert.That((await stranger.GetAsync("/setup")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var strangerToken = await stranger.AntiforgeryTokenAsync("/signin");
        Assert.That((await stranger.PostFormAsync("/setup", strangerToken, SetupFields())).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await stranger.GetAsync("/kazkar")).Headers.Location?.OriginalString, Does.Contain("/signin"));
    }

    [Test]
    public async Task Setup_with_bad_input_is_422_and_creates_nothing()
    {
        using var client = _factory.CreateBrowserClient();
        var token = await client.AntiforgeryTokenAsync("/setup");

        var mismatch = await client.PostFormAsync("/setup", token, SetupFields(confirm: "something-else-1"));
        var common = await client.PostFormAsync("/setup", token, SetupFields("qwertyuiop", "qwertyuiop"));

        Assert.That(mismatch.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await mismatch.Content.ReadAsStringAsync(), Does.Contain("Не збігається"));
        Assert.That(common.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(await TestDatabase.ScalarAsync<long>(_database, "select count(*) from users"), Is.Zero);
    }

    [Test]
    public async Task Two_concurrent_setups_create_one_owner()
    {
        _ = _factory.Server;
        var users = _factory.Services.GetRequiredService<UserStore>();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            users.CreateFirstOwnerAsync("Родина", $"owner{i}@cimeika.test", "Власник", "Kalyna-u-sadu-42", CancellationToken.None)));

        Assert.That(results.Count(r => r is not null), Is.EqualTo(1));
        Assert.That(await TestDatabase.ScalarAsync<long>(_database, "select count(*) from users"), Is.EqualTo(1));
    }
}

/// <summary>The data-protection key ring lives in PostgreSQL, encrypted with a key derived from SECRET_KEY.</summary>
public sealed class KeyRingTests
{
    private const string Secret = "a-long-enough-secret-key-for-the-key-ring-tests-0123456789";

    [Test]
    public async Task Sessions_survive_across_instances_sharing_the_secret_and_end_when_it_changes()
    {
        var database = await TestDatabase.CreateAsync("cimeika_keys");
        try
        {
            await using var first = new CimeikaFactory(database, settings: new Dictionary<string, string?> { ["SECRET_KEY"] = Secret });
            using var client = first.CreateBrowserClient();
            var token = await client.AntiforgeryTokenAsync("/setup");
            await client.PostFormAsync("/setup", token,
                [new("FamilyName", "Р"), new("DisplayName", "В"), new("Email", "v@cimeika.test"), new("Password", "Kalyna-u-sadu-42"), new("PasswordConfirm", "Kalyna-u-sadu-42")]);
            var cookie = await SessionCookieAsync(first, client);

            await using var second = new CimeikaFactory(database, settings: new Dictionary<string, string?> { ["SECRET_KEY"] = Secret });
            await using var rotated = new CimeikaFactory(database, settings: new Dictionary<string, string?> { ["SECRET_KEY"] = Secret + "-rotated" });

            Assert.That(await StatusWithCookieAsync(second, cookie!), Is.EqualTo(HttpStatusCode.OK), "another instance reads the same key ring");
            Assert.That(await StatusWithCookieAsync(rotated, cookie!), Is.EqualTo(HttpStatusCode.Redirect), "a new SECRET_KEY cannot decrypt the old ring");
            var stored = await TestDatabase.ScalarAsync<string>(database, "select string_agg(xml, '') from data_protection_keys");
            Assert.That(stored, Does.Contain("encryptedSecret").And.Contain("encryptedKey"));
            Assert.That(stored, Does.Not.Contain("<masterKey"), "no key material in clear");
        }
        finally
        {
            await TestDatabase.DropAsync(database);
        }
    }

    private static async Task<string> SessionCookieAsync(CimeikaFactory factory, HttpClient signedIn)
    {
        // The test client keeps cookies in its handler; sign in again to read the Set-Cookie header.
        var token = await signedIn.AntiforgeryTokenAsync("/account");
        await signedIn.PostFormAsync("/signout", token, []);
        using var raw = factory.CreateBrowserClient();
        var signInToken = await raw.AntiforgeryTokenAsync("/signin");
        var response = await raw.PostFormAsync("/signin", signInToken, [new("Email", "v@cimeika.test"), new("Password", "Kalyna-u-sadu-42")]);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("cimeika.session=", StringComparison.Ordinal)).Split(';')[0];
    }

    private static async Task<HttpStatusCode> StatusWithCookieAsync(CimeikaFactory factory, string cookie)
    {
        using var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/kazkar");
        request.Headers.Add("Cookie", cookie);
        return (await client.SendAsync(request)).StatusCode;
    }
}

/// <summary><c>users add</c> and <c>tokens create</c>, run as the real program.</summary>
public sealed class AccountCommandTests
{
    private string _database = null!;

    [SetUp]
    public async Task CreateDatabaseAsync() => _database = await TestDatabase.CreateAsync("cimeika_cli");

    [TearDown]
    public async Task DropDatabaseAsync() => await TestDatabase.DropAsync(_database);

    [Test]
    public async Task Users_add_creates_a_user_and_tokens_create_prints_a_working_token()
    {
        var (added, addOutput) = await RunAsync("users add --email ops@cimeika.test --password Operatorska-zmina-9 --name Оператор --role operator");
        var (duplicate, duplicateOutput) = await RunAsync("users add --email OPS@cimeika.test --password Operatorska-zmina-9 --name Інший --role member");
        var (tokenCode, tokenOutput) = await RunAsync("tokens create --email ops@cimeika.test --name monitoring");

        Assert.That(added, Is.Zero, addOutput);
        Assert.That(addOutput, Does.Contain("Created operator ops@cimeika.test"));
        Assert.That(duplicate, Is.Not.Zero);
        Assert.That(duplicateOutput, Does.Contain("already exists"));
        Assert.That(tokenCode, Is.Zero, tokenOutput);
        var secret = tokenOutput.Trim();
        Assert.That(secret, Does.Match("^cim_[A-Za-z0-9_-]{40,}$"));

        await using var factory = new CimeikaFactory(_database);
        using var api = factory.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.That((await api.GetAsync("/api/v1/kazkar/stories")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("users add --email x@cimeika.test --password Operatorska-zmina-9 --name X --role admin", "--role")]
    [TestCase("users add --email not-an-email --password Operatorska-zmina-9 --name X --role member", "--email")]
    [TestCase("users add --email x@cimeika.test --password short --name X --role member", "--password")]
    [TestCase("users add --email x@cimeika.test --password password1234 --name X --role member", "too common")]
    [TestCase("users add --email x@cimeika.test", "--password is required")]
    [TestCase("tokens create --email nobody@cimeika.test --name t", "No user")]
    [TestCase("users remove --email x@cimeika.test", "Unknown command")]
    [TestCase("users add --email", "Unexpected argument")]
    public async Task Bad_input_fails_with_a_clear_message_and_a_non_zero_exit(string arguments, string message)
    {
        var (code, output) = await RunAsync(arguments);

        Assert.That(code, Is.Not.Zero);
        Assert.That(output, Does.Contain(message));
        Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
    }

    private async Task<(int Code, string Output)> RunAsync(string arguments)
    {
        var app = Path.Combine(TestContext.CurrentContext.TestDirectory, "Cimeika.Web.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{app}\" {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["POSTGRES_HOST"] = TestDatabase.Host;
        start.Environment["POSTGRES_PORT"] = TestDatabase.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["POSTGRES_USER"] = TestDatabase.User;
        start.Environment["POSTGRES_PASSWORD"] = TestDatabase.Password;
        start.Environment["POSTGRES_DB"] = _database;
        start.Environment["ENVIRONMENT"] = "development";
        start.Environment["LOG_LEVEL"] = "Warning";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
