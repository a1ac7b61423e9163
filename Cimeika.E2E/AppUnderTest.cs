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

    public static string BaseUrl { get; private set; } = "";

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

        var appDirectory = Environment.GetEnvironmentVariable("CIMEIKA_APP_DIR") ?? Path.Combine(RepositoryRoot, "artifacts", "app");
        var dll = Path.Combine(appDirectory, "Cimeika.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} not found: publish the app first (the test script does)");
        }

        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls {BaseUrl}")
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ENVIRONMENT"] = "production";
        start.Environment["LOG_LEVEL"] = "Information";
        start.Environment["POSTGRES_HOST"] = Db.Host;
        start.Environment["POSTGRES_PORT"] = Db.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["POSTGRES_USER"] = Db.User;
        start.Environment["POSTGRES_PASSWORD"] = Db.Password;
        start.Environment["POSTGRES_DB"] = _database;
        Worker = new FakeHealthEndpoint();
        start.Environment["HEALTHCHECKS_ENDPOINTS"] = $"worker={Worker.Url}healthchecks-api";
        start.Environment["HEALTHCHECKS_INTERVAL_SECONDS"] = "1";

        _log = new StreamWriter(Path.Combine(ArtifactsDirectory, "e2e-app.log")) { AutoFlush = true };
        _process = Process.Start(start)!;
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
    public static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Db.ConnectionString(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient();
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
