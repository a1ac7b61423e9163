namespace Cimeika.Web.Infrastructure.Security;

/// <summary>
/// Content-Security-Policy and the other security headers on every response; HSTS on HTTPS responses in
/// production. The pages have no inline script or style (htmx is configured by a meta tag), so the
/// policy allows only the app's own files; Swagger UI, which needs inline script and style, gets a
/// relaxed policy under its own path only.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next, IHostEnvironment environment)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string ApiDocsContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    public const string PermissionsPolicy =
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

    private readonly bool _hsts = environment.IsProduction();

    public Task InvokeAsync(HttpContext context)
    {
        // When the response starts rather than now: the exception handler clears headers set before it.
        context.Response.OnStarting(Apply, context);
        return next(context);
    }

    private Task Apply(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/api/docs")
            ? ApiDocsContentSecurityPolicy
            : ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        headers["Permissions-Policy"] = PermissionsPolicy;
        if (_hsts && context.Request.IsHttps)
        {
            headers.StrictTransportSecurity = StrictTransportSecurity;
        }
        return Task.CompletedTask;
    }
}
