using Cimeika.Web.Infrastructure.Configuration;

namespace Cimeika.Web.Infrastructure.Security;

public static class SecurityExtensions
{
    /// <summary>Kestrel and TLS, proxy trust, HTTPS redirection, CORS for the API, rate limits and body size.</summary>
    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder, AppSettings settings)
    {
        builder.AddTransport(settings.Security);
        builder.Services.AddSingleton(settings.Security);
        builder.Services.AddApiCors(settings.CorsOrigins);
        builder.Services.AddRateLimits(settings.Security);
        return builder;
    }

    /// <summary>
    /// First in the pipeline: the client address and scheme from trusted proxies (everything after sees
    /// them), security headers on every response, and in production HTTP redirected to HTTPS.
    /// </summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        if (app.Environment.IsProduction())
        {
            // Load balancers and orchestrators probe over plain HTTP and expect a 200, not a redirect.
            app.UseWhen(context => !IsProbe(context.Request), https => https.UseHttpsRedirection());
        }
        return app;
    }

    /// <summary>After routing, since they read endpoint metadata: rate limits, then the request body limit.</summary>
    public static WebApplication UseRequestLimits(this WebApplication app)
    {
        app.UseRateLimits();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        return app;
    }

    private static bool IsProbe(HttpRequest request) => request.Path == "/health" || request.Path == "/ready";
}
