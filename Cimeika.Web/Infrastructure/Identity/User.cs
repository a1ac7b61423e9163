using System.Security.Claims;

namespace Cimeika.Web.Infrastructure.Identity;

/// <summary>A member of a family (row of <c>users</c>).</summary>
public sealed class User
{
    public long Id { get; init; }
    public long FamilyId { get; init; }
    public required string Email { get; init; }
    public required string DisplayName { get; init; }
    public required string PasswordHash { get; init; }
    public required string Role { get; init; }
    public required string SecurityStamp { get; init; }
    public int FailedAttempts { get; init; }
    public DateTime? LockedUntil { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? LastSignInAt { get; init; }
}

public static class Roles
{
    public const string Owner = "owner";
    public const string Member = "member";
    public const string Operator = "operator";

    public static readonly IReadOnlyList<string> All = [Member, Owner, Operator];
}

public static class Policies
{
    /// <summary>Manages the family's members.</summary>
    public const string Owner = "owner";

    /// <summary>Reaches the operations pages (health dashboard, metrics): operators and owners.</summary>
    public const string Operator = "operator";
}

/// <summary>The claims a signed-in request carries.</summary>
public static class CimeikaClaims
{
    public const string FamilyId = "cimeika:family";
    public const string SecurityStamp = "cimeika:stamp";
    public const string TokenId = "cimeika:token";

    public static ClaimsPrincipal Principal(User user, string scheme, long? tokenId = null)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, user.DisplayName),
            new(ClaimTypes.Email, user.Email),
            new(ClaimTypes.Role, user.Role),
            new(FamilyId, user.FamilyId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(SecurityStamp, user.SecurityStamp),
        };
        if (tokenId is { } id)
        {
            claims.Add(new Claim(TokenId, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static long? UserId(this ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static long? FamilyIdOf(this ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(FamilyId), out var id) ? id : null;
}
