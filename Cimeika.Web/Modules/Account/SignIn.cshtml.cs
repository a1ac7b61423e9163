using Cimeika.Web.Infrastructure.Identity;
using Cimeika.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Account;

/// <summary><c>/signin</c>: e-mail and password; five wrong passwords in a row lock the account for 15 minutes.</summary>
[EnableRateLimiting(RateLimits.AuthPolicy)]
public sealed class SignInModel(UserStore users, FirstRunState firstRun, IStringLocalizer<SharedResource> text) : AccountPageModel(text)
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Failure { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await firstRun.HasUsersAsync(cancellationToken)) return Redirect("/setup");
        if (User.Identity?.IsAuthenticated == true) return LocalRedirect(SafeReturnUrl(ReturnUrl));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        RequireEmail("email", Email);
        Require("password", Password);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var (outcome, user) = await users.CheckPasswordAsync(Email!, Password!, cancellationToken);
        switch (outcome)
        {
            case SignInOutcome.Succeeded:
                await SignInAsync(user!);
                return LocalRedirect(SafeReturnUrl(ReturnUrl));
            case SignInOutcome.LockedOut:
                Failure = Text["Account.LockedOut", (int)UserStore.LockoutDuration.TotalMinutes];
                break;
            default:
                Failure = Text["Account.InvalidCredentials"];
                break;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
