using Cimeika.Web.Infrastructure.Api;
using Cimeika.Web.Infrastructure.Identity;
using Cimeika.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Account;

/// <summary><c>/setup</c>: the first visit to a fresh instance creates the family and its owner; afterwards 404.</summary>
[EnableRateLimiting(RateLimits.AuthPolicy)]
public sealed class SetupModel(UserStore users, FirstRunState firstRun, IStringLocalizer<SharedResource> text) : AccountPageModel(text)
{
    [BindProperty] public string? FamilyName { get; set; }
    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? PasswordConfirm { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await firstRun.HasUsersAsync(cancellationToken) ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await firstRun.HasUsersAsync(cancellationToken)) return NotFound();
        Require("familyname", FamilyName);
        Require("displayname", DisplayName);
        RequireEmail("email", Email);
        if (FamilyName is { Length: > 100 }) AddErrors([new FieldError("familyname", ValidationCodes.TooLong, 100)]);
        if (DisplayName is { Length: > 100 }) AddErrors([new FieldError("displayname", ValidationCodes.TooLong, 100)]);
        AddErrors(PasswordPolicy.Validate("password", Password, Email));
        if (Password != PasswordConfirm) AddErrors([new FieldError("passwordconfirm", ValidationCodes.Mismatch)]);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var owner = await users.CreateFirstOwnerAsync(FamilyName!.Trim(), Email!, DisplayName!, Password!, cancellationToken);
        if (owner is null) return NotFound();
        firstRun.UsersExist();
        await SignInAsync(owner);
        TempData["Notice"] = Text["Account.Welcome", owner.DisplayName].Value;
        return Redirect("/ci");
    }
}
