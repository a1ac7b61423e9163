using Cimeika.Web.Infrastructure.Api;
using Cimeika.Web.Infrastructure.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Account;

/// <summary>Shared by the account pages: field messages and starting a session.</summary>
public abstract class AccountPageModel(IStringLocalizer<SharedResource> text) : PageModel
{
    protected IStringLocalizer<SharedResource> Text => text;

    public Dictionary<string, string> Errors { get; } = [];

    public string? Error(string field) => Errors.GetValueOrDefault(field);

    protected void AddErrors(IEnumerable<FieldError> errors)
    {
        foreach (var error in errors)
        {
            Errors.TryAdd(error.Field, error.Message(text));
        }
    }

    protected void Require(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) AddErrors([new FieldError(field, ValidationCodes.Required)]);
    }

    protected void RequireEmail(string field, string? value)
    {
        Require(field, value);
        if (!string.IsNullOrWhiteSpace(value) && !EmailAddress.IsValid(value)) AddErrors([new FieldError(field, ValidationCodes.InvalidEmail)]);
    }

    protected Task SignInAsync(User user) =>
        HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            CimeikaClaims.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme),
            new AuthenticationProperties { IsPersistent = true });

    protected static string SafeReturnUrl(string? url) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) &&
        !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/ci";
}
