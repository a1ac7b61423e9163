using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Npgsql;
using NUnit.Framework;

namespace Cimeika.E2E;

/// <summary>
/// Starts the published app as a real process on 127.0.0.1 with its own database, and one headless
/// Debian Chromium for every test. The test script publishes the app to <c>artifacts/app</c>.
/// </summary>
[SetUpFixture]
public sealed class AppUnderTest
{
    private static Process? _process;
    private static string _database = "";
    private static StreamWriter? _log;

    public const string OwnerEmail = "owner@cimeika.test";
    public const string MemberEmail = "member@cimeika.test";
    public const string OperatorEmail = "operator@cimeika.test";
    public const string Password = "Vyshyvanka-2026!";

    public static string BaseUrl { get; private set; } = "";
    /// <summary>Cookies of a signed-in owner, for contexts that start signed in.</summary>
    public static string OwnerState { get; private set; } = "";
    /// <summary>Cookies of a signed-in operator (the health dashboard's role).</summary>
    public static string OperatorState { get; private set; } = "";

    /// <summary>The second endpoint the operator dashboard polls (every second here).</summary>
    public static FakeHealthEndpoint Worker { get; private set; } = null!;
    public static IBrowser Browser { get; private set; } = null!;
    public static IPlaywright Playwright { get; private set; } = null!;
    public static string ArtifactsDirectory { get; } = Path.GetFullPath(
        Environment.GetEnvironmentVariable("CIMEIKA_ARTIFACTS") ?? Path.Combine(RepositoryRoot, "artifacts"));

    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", ".."));

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        _database = $"cimeika_e2e_{Guid.NewGuid():N}"[..24];
        await ExecuteAdminAsync($"create database \"{_database}\"");

        var appDirectory = AppDirectory;
        var dll = Path.Combine(appDirectory, "Cimeika.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} not found: publish the app first (the test script does)");
        }

        Worker = new FakeHealthEndpoint();
        // Accounts the tests sign in with, made the way an operator would: with the command line.
        await RunCommandAsync(appDirectory, _database, $"users add --email {OwnerEmail} --password {Password} --name Оксана --role owner");
        await RunCommandAsync(appDirectory, _database, $"users add --email {MemberEmail} --password {Password} --name Тарас --role member");
        await RunCommandAsync(appDirectory, _database, $"users add --email {OperatorEmail} --password {Password} --name Черговий --role operator");

        BaseUrl = $"https://127.0.0.1:{FreePort()}";
        _log = new StreamWriter(Path.Combine(ArtifactsDirectory, "e2e-app.log")) { AutoFlush = true };
        _process = Process.Start(AppStart(appDirectory, _database, $"--urls {BaseUrl}"))!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync();

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
        OwnerState = await SignedInStateAsync(OwnerEmail);
        OperatorState = await SignedInStateAsync(OperatorEmail);
    }

    /// <summary>Signs in through the real form once and returns the context's storage state.</summary>
    public static async Task<string> SignedInStateAsync(string email)
    {
        await using var context = await Browser.NewContextAsync(ContextOptions());
        var page = await context.NewPageAsync();
        await page.GotoAsync("/signin");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("main form button[type=submit]");
        await page.WaitForURLAsync("**/ci");
        return await context.StorageStateAsync();
    }

    /// <summary>Browser contexts trust the test's self-signed certificate.</summary>
    public static BrowserNewContextOptions ContextOptions(string? storageState = null) => new()
    {
        BaseURL = BaseUrl,
        IgnoreHTTPSErrors = true,
        StorageState = storageState,
        ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
    };

    /// <summary>An HTTP client for the app under test (it trusts the self-signed certificate).</summary>
    public static HttpClient CreateHttpClient() => new(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
    });

    /// <summary>
    /// The published app's process start: production, as deployed (HTTPS from PEM files made for
    /// the run, a strong SECRET_KEY), with the test database and limits high enough for one
    /// browser making every test's requests.
    /// </summary>
    public static ProcessStartInfo AppStart(string appDirectory, string database, string arguments)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(appDirectory, "Cimeika.Web.dll")}\" {arguments}")
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ENVIRONMENT"] = "production";
        start.Environment["LOG_LEVEL"] = "Information";
        start.Environment["SECRET_KEY"] = Secret;
        start.Environment["TLS_CERT_PATH"] = Certificate.CertPath;
        start.Environment["TLS_KEY_PATH"] = Certificate.KeyPath;
        start.Environment["RATE_LIMIT_PER_MINUTE"] = "1000000";
        start.Environment["RATE_LIMIT_PER_HOUR"] = "100000000";
        start.Environment["RATE_LIMIT_AUTH_PER_MINUTE"] = "1000000";
        start.Environment["HEALTHCHECKS_ENDPOINTS"] = $"worker={Worker.Url}healthchecks-api";
        start.Environment["HEALTHCHECKS_INTERVAL_SECONDS"] = "1";
        start.Environment["POSTGRES_HOST"] = Db.Host;
        start.Environment["POSTGRES_PORT"] = Db.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["POSTGRES_USER"] = Db.User;
        start.Environment["POSTGRES_PASSWORD"] = Db.Password;
        start.Environment["POSTGRES_DB"] = database;
        return start;
    }

    private static readonly string Secret = System.Security.Cryptography.RandomNumberGenerator.GetHexString(48);

    private static (string CertPath, string KeyPath) Certificate { get; } = CreateCertificate();

    /// <summary>A self-signed certificate for 127.0.0.1 as PEM files, like a real deployment's.</summary>
    private static (string CertPath, string KeyPath) CreateCertificate()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=127.0.0.1", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        var directory = Directory.CreateTempSubdirectory("cimeika-e2e-tls-").FullName;
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certPath, keyPath);
    }

    public static string AppDirectory =>
        Environment.GetEnvironmentVariable("CIMEIKA_APP_DIR") ?? Path.Combine(RepositoryRoot, "artifacts", "app");

    private static async Task RunCommandAsync(string appDirectory, string database, string arguments)
    {
        using var process = Process.Start(AppStart(appDirectory, database, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{arguments}' failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        Playwright?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _log?.Dispose();
        Worker?.Dispose();
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"drop database if exists \"{_database}\" with (force)");
    }

    /// <summary>Runs SQL in the app's database (test data setup).</summary>
    public static async Task CreateDatabaseAsync(string name) => await ExecuteAdminAsync($"create database \"{name}\"");

    public static async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"drop database if exists \"{name}\" with (force)");
    }

    public static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Db.ConnectionString(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WaitUntilReadyAsync()
    {
        using var http = CreateHttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"The app exited with {_process.ExitCode}; see {ArtifactsDirectory}/e2e-app.log");
            }
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException("The app did not become ready within 90 s");
    }

    private static async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Db.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static class Db
    {
        public static string Host => Environment.GetEnvironmentVariable("POSTGRES_HOST") ?? "127.0.0.1";
        public static int Port => int.Parse(Environment.GetEnvironmentVariable("POSTGRES_PORT") ?? "5432");
        public static string User => Environment.GetEnvironmentVariable("POSTGRES_USER") ?? "postgres";
        public static string Password => Environment.GetEnvironmentVariable("POSTGRES_PASSWORD") ?? "";

        public static string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
        {
            Host = Host, Port = Port, Username = User, Password = Password, Database = database, Pooling = false,
        }.ConnectionString;
    }
}
