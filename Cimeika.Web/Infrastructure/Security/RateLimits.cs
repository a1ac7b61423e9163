using System.Globalization;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Cimeika.Web.Infrastructure.Configuration;
using Htmx;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Infrastructure.Security;

/// <summary>
/// Per-client rate limits with the built-in limiter: every request counts against the client's minute
/// and hour budgets (<see cref="ClientRateLimits"/>); endpoints can add the stricter <see cref="AuthPolicy"/>.
/// Health probes and static assets are never limited (<c>DisableRateLimiting()</c> where they are mapped).
/// </summary>
public static class RateLimits
{
    /// <summary>
    /// For sign-in, first-run and token endpoints: <c>.RequireRateLimiting(RateLimits.AuthPolicy)</c> or
    /// <c>[EnableRateLimiting(RateLimits.AuthPolicy)]</c>. RATE_LIMIT_AUTH_PER_MINUTE per client, on top of the global limits.
    /// </summary>
    public const string AuthPolicy = "auth";

    public const string MinuteLimitHeader = "X-RateLimit-Limit-Minute";
    public const string HourLimitHeader = "X-RateLimit-Limit-Hour";

    public static IServiceCollection AddRateLimits(this IServiceCollection services, SecuritySettings settings)
    {
        // Created (and so disposed, with its timers) by the container.
        services.AddSingleton(_ => new ClientRateLimits(settings.RateLimitPerMinute, settings.RateLimitPerHour));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(AuthPolicy, new AuthRateLimitPolicy(settings.AuthRateLimitPerMinute));
        });
        services.AddOptions<RateLimiterOptions>().Configure<ClientRateLimits>((o, limits) =>
        {
            o.GlobalLimiter = limits.Limiter;
            o.OnRejected = (rejected, ct) => WriteRejectionAsync(rejected, limits.ExceededLimit(rejected.HttpContext), ct);
        });
        return services;
    }

    public static IApplicationBuilder UseRateLimits(this IApplicationBuilder app)
    {
        app.UseRateLimiter();
        var limits = app.ApplicationServices.GetRequiredService<ClientRateLimits>();
        var minute = limits.PerMinute.ToString(CultureInfo.InvariantCulture);
        var hour = limits.PerHour.ToString(CultureInfo.InvariantCulture);
        // Only requests the limiter let through get here.
        app.Use((context, next) =>
        {
            if (ClientRateLimits.Applies(context))
            {
                context.Response.Headers[MinuteLimitHeader] = minute;
                context.Response.Headers[HourLimitHeader] = hour;
            }
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// 429 with Retry-After. JSON clients get the earlier API's body, htmx a short fragment (the layout's
    /// script shows the message), browsers the friendly error page (re-executed for the empty 429).
    /// </summary>
    internal static async ValueTask WriteRejectionAsync(OnRejectedContext rejected, string limit, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (context.Request.WantsJson())
        {
            await context.Response.WriteAsJsonAsync(
                new RateLimitExceeded("rate_limit_exceeded", $"Too many requests. Limit: {limit}", "Please try again later"), ct);
        }
        else if (context.Request.IsHtmx())
        {
            var text = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            var encoder = context.RequestServices.GetRequiredService<HtmlEncoder>();
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                $"<p class=\"notice error\" role=\"alert\">{encoder.Encode(text["Errors.RateLimited", seconds])}</p>", ct);
        }
    }
}

public sealed record RateLimitExceeded(string Error, string Message, string Detail);

/// <summary>The stricter per-client budget of <see cref="RateLimits.AuthPolicy"/>.</summary>
internal sealed class AuthRateLimitPolicy(int perMinute) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask> OnRejected =>
        (rejected, ct) => RateLimits.WriteRejectionAsync(rejected, $"{perMinute}/minute", ct);

    public RateLimitPartition<string> GetPartition(HttpContext context) =>
        ClientRateLimits.Bucket(context, perMinute, TimeSpan.FromMinutes(1));
}
