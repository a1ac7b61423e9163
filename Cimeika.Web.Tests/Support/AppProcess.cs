using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Support;

/// <summary>
/// The built app (Cimeika.Web.dll beside the tests) as a real process on Kestrel, with exactly the
/// environment a test gives it: the app's variables inherited from the test run are removed first.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly string[] AppVariablePrefixes =
        ["ENVIRONMENT", "DEBUG", "SECRET_KEY", "REDIS_PASSWORD", "CORS_ORIGINS", "POSTGRES_", "RATE_LIMIT_", "KNOWN_",
         "TLS_", "HTTPS_PORT", "MAX_REQUEST_BODY_BYTES", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "SENTRY_", "SEQ_", "LOG_LEVEL"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, string? url = null)
    {
        _process = process;
        Url = url;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>The address it listens on, when started by <see cref="StartOnDatabaseAsync"/>.</summary>
    public string? Url { get; }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public static AppProcess Start(IReadOnlyDictionary<string, string?> environment, string arguments = "", string? url = null)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "Cimeika.Web.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestContext.CurrentContext.TestDirectory,
        };
        foreach (var name in start.Environment.Keys.Where(k => AppVariablePrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            start.Environment.Remove(name);
        }
        start.Environment["LOG_LEVEL"] = "Warning";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return new AppProcess(Process.Start(start)!, url);
    }

    /// <summary>
    /// The app on <paramref name="database"/> at a free loopback port, with a strong SECRET_KEY (so
    /// production starts), no shutdown delay and Information logs unless <paramref name="environment"/>
    /// says otherwise; returns once /ready answers 200.
    /// </summary>
    public static async Task<AppProcess> StartOnDatabaseAsync(string database, IReadOnlyDictionary<string, string?> environment)
    {
        var url = $"http://127.0.0.1:{Port(FreePort())}";
        var settings = new Dictionary<string, string?>
        {
            ["POSTGRES_HOST"] = TestDatabase.Host,
            ["POSTGRES_PORT"] = Port(TestDatabase.Port),
            ["POSTGRES_USER"] = TestDatabase.User,
            ["POSTGRES_PASSWORD"] = TestDatabase.Password,
            ["POSTGRES_DB"] = database,
            ["SECRET_KEY"] = ProductionSettings.SecretKey,
            ["SHUTDOWN_DELAY_SECONDS"] = "0",
            ["LOG_LEVEL"] = "Information",
        };
        foreach (var (key, value) in environment) settings[key] = value;
        var app = Start(settings, $"--urls {url}", url);
        await app.WaitUntilReadyAsync();
        return app;
    }

    /// <summary>Sends SIGTERM, as a service manager does.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, 15) != 0)
        {
            throw new InvalidOperationException($"kill failed: {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Stops gracefully and waits for the process (and its output) to end.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            Terminate();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync($"{Url}/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The app was not ready within 60 s:\n{Output}");
    }

    /// <summary>Runs the app until it exits by itself (within 60 s) and returns its exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunToExitAsync(IReadOnlyDictionary<string, string?> environment)
    {
        await using var app = Start(environment);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await app._process.WaitForExitAsync(timeout.Token);
        // The exit code is set before the redirected output is fully read.
        app._process.WaitForExit();
        return (app._process.ExitCode, app.Output);
    }

    /// <summary>Waits until <paramref name="url"/> answers at all (any status) within 60 s.</summary>
    public async Task WaitUntilListeningAsync(string url, HttpMessageHandler? handler = null)
    {
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var _ = await http.GetAsync(url);
                return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The app did not listen on {url} within 60 s:\n{Output}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
