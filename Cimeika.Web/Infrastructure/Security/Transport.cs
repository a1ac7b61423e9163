using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Cimeika.Web.Infrastructure.Configuration;
using Microsoft.AspNetCore.HttpOverrides;

namespace Cimeika.Web.Infrastructure.Security;

internal static class Transport
{
    /// <summary>
    /// Kestrel without a Server header and with the body limit; TLS from PEM files when TLS_CERT_PATH and
    /// TLS_KEY_PATH are set (for every https:// address, plus one on HTTPS_PORT when no https:// address is
    /// given); X-Forwarded-For/Proto believed only from the known proxies; redirects to HTTPS with 308.
    /// </summary>
    public static void AddTransport(this WebApplicationBuilder builder, SecuritySettings security)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = security.MaxRequestBodyBytes;
            if (security.HasTlsCertificate)
            {
                var certificate = X509Certificate2.CreateFromPemFile(security.TlsCertificatePath!, security.TlsKeyPath);
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
            }
        });

        if (security is { HasTlsCertificate: true, HttpsPort: { } port })
        {
            // Kestrel's own default when no address is given.
            var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey) is { Length: > 0 } given ? given : "http://localhost:5000";
            if (!urls.Contains("https://", StringComparison.OrdinalIgnoreCase))
            {
                builder.WebHost.UseUrls($"{urls};https://+:{port.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Unwinds a chain of trusted proxies and stops at the first address that is not one.
            o.ForwardLimit = null;
            if (security.KnownProxies.Count > 0 || security.KnownNetworks.Count > 0)
            {
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                foreach (var proxy in security.KnownProxies) o.KnownProxies.Add(proxy);
                foreach (var network in security.KnownNetworks) o.KnownIPNetworks.Add(network);
            }
        });

        builder.Services.AddHttpsRedirection(o =>
        {
            // 308 keeps the method and body of a POST, unlike 301/302.
            o.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
            o.HttpsPort = security.HttpsPort;
        });
    }
}
