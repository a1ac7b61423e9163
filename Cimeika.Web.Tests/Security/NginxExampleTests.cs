using System.Diagnostics;
using System.Net;
using System.Runtime.Versioning;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Security;

/// <summary>
/// deploy/nginx/cimeika.conf as documented: it passes <c>nginx -t</c>, and the real nginx in front of the
/// real app serves HTTPS without a redirect loop and never passes on a client's own X-Forwarded-For.
/// deploy/test.sh installs nginx; without it these tests are inconclusive.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class NginxExampleTests
{
    private const string Nginx = "/usr/sbin/nginx";

    private static string Example => Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "deploy", "nginx", "cimeika.conf"));

    [SetUp]
    public void RequireNginx() => Assume.That(File.Exists(Nginx), Is.True, "nginx is not installed (apt-get install nginx)");

    /// <summary>The example with the test certificate, and optionally local ports, inside a minimal nginx.conf.</summary>
    private static string Prepare(TestCertificate certificate, string folder, (int Http, int Https, int App)? ports = null)
    {
        var site = File.ReadAllText(Example)
            .Replace("/etc/letsencrypt/live/family.example/fullchain.pem", certificate.CertificatePath)
            .Replace("/etc/letsencrypt/live/family.example/privkey.pem", certificate.KeyPath);
        if (ports is var (http, https, app))
        {
            site = site
                .Replace("listen 80;", $"listen 127.0.0.1:{http};").Replace("listen [::]:80;", "")
                .Replace("listen 443 ssl http2;", $"listen 127.0.0.1:{https} ssl http2;").Replace("listen [::]:443 ssl http2;", "")
                .Replace("server 127.0.0.1:5000;", $"server 127.0.0.1:{app};");
        }
        File.WriteAllText(Path.Combine(folder, "cimeika.conf"), site);
        var config = Path.Combine(folder, "nginx.conf");
        File.WriteAllText(config, $$"""
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log;
            events {}
            http {
                access_log off;
                client_body_temp_path {{folder}}/body;
                proxy_temp_path {{folder}}/proxy;
                include {{folder}}/cimeika.conf;
            }
            """);
        return config;
    }

    private static ProcessStartInfo NginxStart(string config, params string[] extra)
    {
        var start = new ProcessStartInfo(Nginx) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", config, "-p", Path.GetDirectoryName(config)!, "-e", Path.Combine(Path.GetDirectoryName(config)!, "error.log") }.Concat(extra))
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    private static async Task WaitUntilAnswersAsync(Process nginx, HttpClient client, string url, string folder)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            if (nginx.HasExited) Assert.Fail($"nginx exited with {nginx.ExitCode}: {File.ReadAllText(Path.Combine(folder, "error.log"))}");
            try
            {
                using var _ = await client.GetAsync(url);
                return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
        }
        Assert.Fail($"nginx did not answer on {url}");
    }

    [Test]
    public async Task The_example_passes_nginx_t()
    {
        using var certificate = new TestCertificate();
        var folder = Path.GetDirectoryName(certificate.CertificatePath)!;

        using var check = Process.Start(NginxStart(Prepare(certificate, folder), "-t"))!;
        var output = await check.StandardError.ReadToEndAsync();
        await check.WaitForExitAsync();

        Assert.That(check.ExitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("syntax is ok").And.Contain("test is successful"));
    }

    [Test]
    public async Task Behind_the_example_https_is_served_without_a_redirect_loop_and_spoofed_forwarding_is_ignored()
    {
        using var certificate = new TestCertificate();
        var folder = Path.GetDirectoryName(certificate.CertificatePath)!;
        // nginx's workers run as an unprivileged user and write temporary files here.
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        var (http, https, app) = (AppProcess.FreePort(), AppProcess.FreePort(), AppProcess.FreePort());
        await using var cimeika = AppProcess.Start(ProductionSettings.WithoutDatabase(
            ("ENVIRONMENT", "production"), ("HTTPS_PORT", "443"), ("RATE_LIMIT_PER_MINUTE", "3")), $"--urls http://127.0.0.1:{app}");
        await cimeika.WaitUntilListeningAsync($"http://127.0.0.1:{app}/health");
        using var nginx = Process.Start(NginxStart(Prepare(certificate, folder, (http, https, app)), "-g", "daemon off;"))!;
        try
        {
            using var client = new HttpClient(certificate.TrustingHandler());
            await WaitUntilAnswersAsync(nginx, client, $"https://127.0.0.1:{https}/health", folder);

            var statuses = new List<HttpResponseMessage>();
            for (var i = 1; i <= 4; i++)
            {
                var request = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{https}/api/v1/modules/");
                request.Headers.Add("X-Forwarded-For", $"198.51.100.{i}");
                statuses.Add(await client.SendAsync(request));
            }
            var plain = await client.GetAsync($"http://127.0.0.1:{http}/ci");

            Assert.That(statuses.Take(3).Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.OK), "HTTPS through nginx is not redirected again");
            Assert.That(statuses[0].Headers.GetValues("Strict-Transport-Security").Single(), Does.Contain("max-age=31536000"), "the app saw HTTPS");
            Assert.That(statuses[3].StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "one client whatever X-Forwarded-For it sends");
            Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect));
            Assert.That(plain.Headers.Location, Is.EqualTo(new Uri("https://127.0.0.1/ci")));
        }
        finally
        {
            // SIGTERM to this master (its pid file): it stops its workers and reaps them.
            using (var stop = Process.Start(NginxStart(Path.Combine(folder, "nginx.conf"), "-s", "stop"))!) await stop.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await nginx.WaitForExitAsync(timeout.Token);
        }
    }
}
