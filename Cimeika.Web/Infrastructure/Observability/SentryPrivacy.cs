using Cimeika.Web.Infrastructure.Health;

namespace Cimeika.Web.Infrastructure.Observability;

/// <summary>
/// What reaches Sentry: nothing about probes, metrics and API docs, and no personal data or secrets
/// (no URL path or query, which can carry a feed token; no cookies, auth headers, body, IP, email).
/// </summary>
public static class SentryPrivacy
{
    private static readonly string[] ExcludedPaths =
        ["/health", "/ready", "/metrics", HealthExtensions.HealthChecksApiPath, "/api/docs", "/api/openapi.json"];

    // Headers that say something about the client without identifying a person or carrying a secret.
    private static readonly HashSet<string> KeptHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "Accept-Language", "Content-Type", "Content-Length", "User-Agent", "HX-Request", "HX-Boosted",
    };

    public static bool IsExcluded(string path) =>
        ExcludedPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase)
                               || path.StartsWith(p + "/", StringComparison.OrdinalIgnoreCase));

    // Events are captured on the request's own flow, where the accessor sees it.
    private static readonly HttpContextAccessor Requests = new();

    public static SentryEvent? Scrub(SentryEvent evt)
    {
        if (Uri.TryCreate(evt.Request.Url, UriKind.Absolute, out var url) && IsExcluded(url.AbsolutePath))
        {
            return null;
        }
        if (Requests.HttpContext is { } context)
        {
            // Grouped by the route the request matched, not by the error page that answered it.
            evt.TransactionName = ObservabilityExtensions.RequestName(context);
        }
        ScrubRequest(evt.Request);
        evt.User = new SentryUser { Id = evt.User.Id };
        return evt;
    }

    public static SentryTransaction? Scrub(SentryTransaction transaction)
    {
        if (Uri.TryCreate(transaction.Request.Url, UriKind.Absolute, out var url) && IsExcluded(url.AbsolutePath))
        {
            return null;
        }
        ScrubRequest(transaction.Request);
        transaction.User = new SentryUser { Id = transaction.User.Id };
        return transaction;
    }

    private static void ScrubRequest(SentryRequest request)
    {
        // The transaction name already carries the route template ("GET /kazkar/{id}").
        request.Url = Uri.TryCreate(request.Url, UriKind.Absolute, out var url) ? url.GetLeftPart(UriPartial.Authority) : null;
        request.QueryString = null;
        request.Cookies = null;
        request.Data = null;
        foreach (var header in request.Headers.Keys.Where(h => !KeptHeaders.Contains(h)).ToList())
        {
            request.Headers.Remove(header);
        }
        request.Env.Remove("REMOTE_ADDR");
    }
}
