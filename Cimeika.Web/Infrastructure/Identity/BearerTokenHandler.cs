using System.Text.Encodings.Web;
using Cimeika.Web.Modules;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Cimeika.Web.Infrastructure.Identity;

/// <summary><c>Authorization: Bearer cim_...</c>: a personal access token, for API clients.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenStore tokens) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var found = await tokens.AuthenticateAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (found is not { } match)
        {
            return AuthenticateResult.Fail("Invalid or revoked token");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(
            CimeikaClaims.Principal(match.User, SchemeName, match.TokenId), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failed = Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = failed ? "Bearer error=\"invalid_token\"" : "Bearer";
        await Response.WriteAsJsonAsync(new ApiDetail(failed ? "Invalid or revoked token" : "Not authenticated"));
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(new ApiDetail("Not permitted"));
    }
}
