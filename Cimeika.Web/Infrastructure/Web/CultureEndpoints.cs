using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Localization;

namespace Cimeika.Web.Infrastructure.Web;

public static class CultureEndpoints
{
    /// <summary>The language switch: a plain form POST that stores the choice in a cookie for a year.</summary>
    public static IEndpointRouteBuilder MapCultureSwitch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/culture", async (HttpContext context, IAntiforgery antiforgery) =>
            {
                if (!await IsValidAsync(antiforgery, context))
                {
                    return Results.BadRequest();
                }
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                var culture = form["culture"].ToString();
                if (!WebUiExtensions.SupportedCultures.Any(c => c.Name == culture))
                {
                    return Results.BadRequest();
                }
                context.Response.Cookies.Append(
                    CookieRequestCultureProvider.DefaultCookieName,
                    CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                    new CookieOptions
                    {
                        Expires = DateTimeOffset.UtcNow.AddYears(1),
                        IsEssential = true,
                        HttpOnly = true,
                        SameSite = SameSiteMode.Lax,
                        Secure = context.Request.IsHttps,
                    });
                var returnUrl = form["returnUrl"].ToString();
                return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : "/ci");
            })
            .DisableAntiforgery() // validated explicitly above, with a 400 instead of an exception
            .AllowAnonymous()
            .ExcludeFromDescription();
        return endpoints;
    }

    // A form that cannot be read at all (malformed, or with NUL characters) throws instead of answering false.
    private static async Task<bool> IsValidAsync(IAntiforgery antiforgery, HttpContext context)
    {
        try
        {
            return await antiforgery.IsRequestValidAsync(context);
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
