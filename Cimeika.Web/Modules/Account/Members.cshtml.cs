using Cimeika.Web.Infrastructure.Api;
using Cimeika.Web.Infrastructure.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Account;

/// <summary><c>/account/members</c> (owner only): the family's members; add with a first password, remove.</summary>
public sealed class MembersModel(UserStore users, IStringLocalizer<SharedResource> text) : AccountPageModel(text)
{
    public IReadOnlyList<User> Members { get; private set; } = [];

    [BindProperty] public string? DisplayName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Role { get; set; } = Roles.Member;

    private long FamilyId => User.FamilyIdOf()!.Value;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Members = await users.MembersAsync(FamilyId, cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        Require("displayname", DisplayName);
        if (DisplayName is { Length: > 100 }) AddErrors([new FieldError("displayname", ValidationCodes.TooLong, 100)]);
        RequireEmail("email", Email);
        AddErrors(PasswordPolicy.Validate("password", Password, Email));
        if (Role is null || !Roles.All.Contains(Role)) AddErrors([new FieldError("role", ValidationCodes.InvalidChoice, string.Join(", ", Roles.All))]);
        if (Errors.Count == 0 &&
            await users.CreateAsync(FamilyId, Email!, DisplayName!, Password!, Role!, cancellationToken) is null)
        {
            AddErrors([new FieldError("email", ValidationCodes.Taken)]);
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            Members = await users.MembersAsync(FamilyId, cancellationToken);
            return Page();
        }
        TempData["Notice"] = Text["Account.MemberAdded", DisplayName!.Trim()].Value;
        return Redirect("/account/members");
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken cancellationToken)
    {
        if (!await users.RemoveAsync(FamilyId, id, User.UserId()!.Value, cancellationToken)) return NotFound();
        TempData["Notice"] = Text["Account.MemberRemoved"].Value;
        return Redirect("/account/members");
    }
}
