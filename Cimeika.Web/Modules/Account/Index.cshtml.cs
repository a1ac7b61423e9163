using Cimeika.Web.Infrastructure.Api;
using Cimeika.Web.Infrastructure.Identity;
using Cimeika.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Account;

/// <summary><c>/account</c>: who you are, change password, sign out everywhere, personal API tokens.</summary>
[EnableRateLimiting(RateLimits.AuthPolicy)]
public sealed class IndexModel(UserStore users, TokenStore tokens, IStringLocalizer<SharedResource> text) : AccountPageModel(text)
{
    public User Me { get; private set; } = null!;
    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];
    public string? NewToken { get; private set; }

    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? NewPasswordConfirm { get; set; }
    [BindProperty] public string? TokenName { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : Challenge();

    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken)) return Challenge();
        Require("currentpassword", CurrentPassword);
        AddErrors(PasswordPolicy.Validate("newpassword", NewPassword, Me.Email));
        if (NewPassword != NewPasswordConfirm) AddErrors([new FieldError("newpasswordconfirm", ValidationCodes.Mismatch)]);
        if (Errors.Count == 0)
        {
            var (outcome, _) = await users.CheckPasswordAsync(Me.Email, CurrentPassword!, cancellationToken);
            if (outcome != SignInOutcome.Succeeded)
            {
                Errors["currentpassword"] = outcome == SignInOutcome.LockedOut
                    ? Text["Account.LockedOut", (int)UserStore.LockoutDuration.TotalMinutes]
                    : Text["Account.WrongPassword"];
            }
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        // The new stamp ends every other session; this one continues with a fresh cookie.
        await SignInAsync(await users.ChangePasswordAsync(Me, NewPassword!, cancellationToken));
        TempData["Notice"] = Text["Account.PasswordChanged"].Value;
        return Redirect("/account");
    }

    public async Task<IActionResult> OnPostSignOutEverywhereAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken)) return Challenge();
        await SignInAsync(await users.RotateStampAsync(Me.Id, cancellationToken));
        TempData["Notice"] = Text["Account.SignedOutEverywhere"].Value;
        return Redirect("/account");
    }

    public async Task<IActionResult> OnPostCreateTokenAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken)) return Challenge();
        Require("tokenname", TokenName);
        if (TokenName is { Length: > 100 }) AddErrors([new FieldError("tokenname", ValidationCodes.TooLong, 100)]);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var (_, secret) = await tokens.CreateAsync(Me.Id, TokenName!, cancellationToken);
        // Shown in this response only; never stored in clear, never put in TempData.
        NewToken = secret;
        TokenName = null;
        Tokens = await tokens.ListAsync(Me.Id, cancellationToken);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(long id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken)) return Challenge();
        if (!await tokens.RevokeAsync(Me.Id, id, cancellationToken)) return NotFound();
        TempData["Notice"] = Text["Account.TokenRevoked"].Value;
        return Redirect("/account");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (User.UserId() is not { } id || await users.FindByIdAsync(id, cancellationToken) is not { } me) return false;
        Me = me;
        Tokens = await tokens.ListAsync(me.Id, cancellationToken);
        return true;
    }
}
