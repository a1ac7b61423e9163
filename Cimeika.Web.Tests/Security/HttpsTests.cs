using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Security;

/// <summary>A self-signed certificate written as PEM files, and a client that trusts exactly that certificate.</summary>
public sealed class TestCertificate : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cimeika-tls-").FullName;

    public TestCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        Thumbprint = certificate.Thumbprint;
        CertificatePath = Path.Combine(_folder, "cert.pem");
        KeyPath = Path.Combine(_folder, "key.pem");
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string CertificatePath { get; }
    public string KeyPath { get; }
    public string Thumbprint { get; }

    /// <summary>Accepts the server's certificate only when it is this one; never follows redirects.</summary>
    public HttpClientHandler TrustingHandler() => new()
    {
        AllowAutoRedirect = false,
        ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == Thumbprint,
    };

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}

/// <summary>The real app in production serving TLS from PEM files, with HTTP beside it.</summary>
public sealed class HttpsTests
{
    private TestCertificate _certificate = null!;
    private AppProcess _app = null!;
    private HttpClient _client = null!;
    private string _http = "";
    private string _https = "";

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _certificate = new TestCertificate();
        var httpPort = AppProcess.FreePort();
        var httpsPort = AppProcess.FreePort();
        _http = $"http://127.0.0.1:{httpPort}";
        _https = $"https://127.0.0.1:{httpsPort}";
        // The HTTPS listener comes from HTTPS_PORT: only plain HTTP is given in --urls.
        _app = AppProcess.Start(ProductionSettings.WithoutDatabase(
            ("ENVIRONMENT", "production"),
            ("TLS_CERT_PATH", _certificate.CertificatePath),
            ("TLS_KEY_PATH", _certificate.KeyPath),
            ("HTTPS_PORT", AppProcess.Port(httpsPort))), $"--urls {_http}");
        _client = new HttpClient(_certificate.TrustingHandler());
        await _app.WaitUntilListeningAsync($"{_https}/health", _certificate.TrustingHandler());
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    [Test]
    public async Task Http_is_redirected_to_https_with_308_keeping_path_query_and_method()
    {
        var get = await _client.GetAsync($"{_http}/api/v1/modules/?x=1");
        var post = await _client.PostAsync($"{_http}/api/v1/kazkar/stories", Http.RawJson("{}"));

        Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect));
        Assert.That(get.Headers.Location, Is.EqualTo(new Uri($"{_https}/api/v1/modules/?x=1")));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect), "308 keeps the method, unlike 301/302");
        Assert.That(get.Headers.Contains("Strict-Transport-Security"), Is.False, "HSTS is only sent over HTTPS");
    }

    [Test]
    public async Task Https_serves_the_pem_certificate_with_hsts_for_a_year_and_no_server_header()
    {
        var response = await _client.GetAsync($"{_https}/api/v1/modules/");
        var hsts = response.Headers.GetValues("Strict-Transport-Security").Single();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), _app.Output);
        Assert.That(int.Parse(hsts.Split(';')[0].Replace("max-age=", "")), Is.GreaterThanOrEqualTo(365 * 24 * 3600));
        Assert.That(hsts, Does.Contain("includeSubDomains"));
        Assert.That(response.Headers.Contains("Server"), Is.False);
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("frame-ancestors 'none'"));
    }

    [Test]
    public async Task A_proxy_that_terminated_tls_is_not_redirected_again()
    {
        // Loopback is a known proxy by default.
        var request = new HttpRequestMessage(HttpMethod.Get, $"{_http}/api/v1/modules/");
        request.Headers.Add("X-Forwarded-Proto", "https");

        var response = await _client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.True, "the request counts as HTTPS");
    }

    [Test]
    public async Task Health_probes_over_http_are_answered_not_redirected()
    {
        var health = await _client.GetAsync($"{_http}/health");
        var ready = await _client.GetAsync($"{_http}/ready");

        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "no database here, and no redirect");
        Assert.That(health.Headers.Contains("Server"), Is.False);
    }
}

public sealed class HttpsUrlTests
{
    [Test]
    public async Task An_https_address_in_urls_is_served_with_the_pem_certificate_and_is_the_redirect_target()
    {
        using var certificate = new TestCertificate();
        var http = $"http://127.0.0.1:{AppProcess.FreePort()}";
        var https = $"https://127.0.0.1:{AppProcess.FreePort()}";
        await using var app = AppProcess.Start(ProductionSettings.WithoutDatabase(
            ("ENVIRONMENT", "production"),
            ("TLS_CERT_PATH", certificate.CertificatePath),
            ("TLS_KEY_PATH", certificate.KeyPath)), $"--urls \"{http};{https}\"");
        using var client = new HttpClient(certificate.TrustingHandler());
        await app.WaitUntilListeningAsync($"{https}/health", certificate.TrustingHandler());

        // A public page that needs no database (there is none here).
        var secure = await client.GetAsync($"{https}/api/v1/modules/");
        var plain = await client.GetAsync($"{http}/api/v1/modules/");

        Assert.That(secure.StatusCode, Is.EqualTo(HttpStatusCode.OK), app.Output);
        Assert.That(secure.Headers.Contains("Strict-Transport-Security"), Is.True);
        Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect));
        Assert.That(plain.Headers.Location, Is.EqualTo(new Uri($"{https}/api/v1/modules/")));
    }

    [Test]
    public void Tls_paths_must_be_given_together_and_must_load()
    {
        using var certificate = new TestCertificate();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var wrongKey = Path.Combine(Path.GetDirectoryName(certificate.KeyPath)!, "other.pem");
        File.WriteAllText(wrongKey, otherKey.ExportPkcs8PrivateKeyPem());

        Assert.That(ProductionConfigTests.Problems("Development", ("TLS_CERT_PATH", certificate.CertificatePath)),
            Is.EqualTo(new[] { "TLS_CERT_PATH and TLS_KEY_PATH must be set together." }));
        Assert.That(ProductionConfigTests.Problems("Development", ("TLS_CERT_PATH", "/no/such/cert.pem"), ("TLS_KEY_PATH", certificate.KeyPath)),
            Has.One.StartsWith("TLS_CERT_PATH / TLS_KEY_PATH could not be loaded").And.Contains("/no/such/cert.pem"));
        Assert.That(ProductionConfigTests.Problems("Development", ("TLS_CERT_PATH", certificate.CertificatePath), ("TLS_KEY_PATH", wrongKey)),
            Has.One.StartsWith("TLS_CERT_PATH / TLS_KEY_PATH could not be loaded"));
        Assert.That(ProductionConfigTests.Problems("Development", ("TLS_CERT_PATH", certificate.CertificatePath), ("TLS_KEY_PATH", certificate.KeyPath)),
            Is.Empty);
    }
}

/// <summary>X-Forwarded-Proto decides the redirect only when a known proxy sends it.</summary>
public sealed class ForwardedProtoTests
{
    [Test]
    public async Task An_unknown_peer_claiming_https_is_still_redirected()
    {
        await using var factory = new CimeikaFactory("cimeika_unreachable", "Production",
            ProductionSettings.WithoutDatabase(("HTTPS_PORT", "443")));
        using var client = factory.CreateBrowserClient();

        var fromProxy = await SendAsync(client, "127.0.0.1");
        var fromStranger = await SendAsync(client, "198.51.100.60");

        Assert.That(fromProxy.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(fromStranger.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect));
        Assert.That(fromStranger.Headers.Location, Is.EqualTo(new Uri("https://localhost/api/v1/modules/")));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string peer)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/modules/");
        request.Headers.Add(TestRemoteAddress.Header, peer);
        request.Headers.Add("X-Forwarded-Proto", "https");
        return client.SendAsync(request);
    }
}
