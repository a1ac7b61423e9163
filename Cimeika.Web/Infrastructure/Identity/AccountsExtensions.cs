using Cimeika.Web.Infrastructure.Configuration;
using Cimeika.Web.Infrastructure.Data;
using Cimeika.Web.Infrastructure.Web;
using Cimeika.Web.Modules;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cimeika.Web.Infrastructure.Identity;

public static class AccountsExtensions
{
    private const string SmartScheme = "cimeika";

    /// <summary>
    /// Cookie sign-in for browsers, bearer tokens for API clients, roles, the first-run rule and
    /// the data-protection key ring in PostgreSQL. Everything requires a signed-in user unless
    /// marked <c>AllowAnonymous</c>.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, AppSettings settings, IHostEnvironment environment)
    {
        var production = environment.IsProduction();
        services.AddHttpContextAccessor();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<FirstRunState>();
        services.AddScoped<IFamilyContext, SignedInFamily>();
        services.AddSingleton<Observability.IMetricsAccess, OperatorMetricsAccess>();

        services.AddSingleton<KeyRingSecret>();
        services.AddDataProtection().SetApplicationName("cimeika");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new PostgresXmlRepository(sp.GetRequiredService<NpgsqlDataSource>());
            o.XmlEncryptor = new SecretKeyXmlEncryptor(sp.GetRequiredService<KeyRingSecret>());
        }));

        services.AddAuthentication(SmartScheme)
            .AddPolicyScheme(SmartScheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerTokenHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                // __Host- binds the cookie to this exact origin over HTTPS (no Domain, Path=/).
                o.Cookie.Name = production ? "__Host-cimeika" : "cimeika.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = production ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                o.Cookie.Path = "/";
                o.ExpireTimeSpan = TimeSpan.FromDays(settings.SessionLifetimeDays);
                o.SlidingExpiration = true;
                o.LoginPath = "/signin";
                o.Events = new CookieAuthenticationEvents
                {
                    OnValidatePrincipal = ValidateStampAsync,
                    OnRedirectToLogin = RedirectToSignInAsync,
                    OnRedirectToAccessDenied = context =>
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return context.Request.IsApi()
                            ? context.Response.WriteAsJsonAsync(new ApiDetail("Not permitted"))
                            : Task.CompletedTask;
                    },
                };
            })
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Owner, p => p.RequireRole(Roles.Owner))
            .AddPolicy(Policies.Operator, p => p.RequireRole(Roles.Operator, Roles.Owner));

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = production ? "__Host-cimeika-af" : "cimeika.af";
            // Secure over HTTPS. A production request over plain HTTP (a misconfigured proxy) still
            // renders its page; the browser drops the __Host- cookie, so its forms fail with 400.
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        return services;
    }

    public static WebApplication UseAccounts(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<ApiAntiforgeryMiddleware>();
        return app;
    }

    /// <summary>
    /// Ends a session whose user is gone or whose stamp changed (password change, sign out
    /// everywhere). While the database cannot be reached the signed, unexpired cookie is taken as
    /// it is: nothing else can be read then, and operators still need the health dashboard.
    /// </summary>
    private static async Task ValidateStampAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var users = context.HttpContext.RequestServices.GetRequiredService<UserStore>();
        User? user;
        try
        {
            user = principal.UserId() is { } id ? await users.FindByIdAsync(id, context.HttpContext.RequestAborted) : null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AccountsExtensions))
                .LogWarning("Session not re-checked: the database is unreachable ({Reason})", e.Message);
            return;
        }
        if (user is null || user.SecurityStamp != principal.FindFirst(CimeikaClaims.SecurityStamp)?.Value)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }
        if (user.Role != principal.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ||
            user.DisplayName != principal.Identity?.Name)
        {
            context.ReplacePrincipal(CimeikaClaims.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
            context.ShouldRenew = true;
        }
    }

    /// <summary>API: 401 JSON. htmx: 401 with HX-Redirect. Pages: the sign-in page, or first-run setup on a fresh instance.</summary>
    private static async Task RedirectToSignInAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var http = context.HttpContext;
        if (http.Request.IsApi())
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await http.Response.WriteAsJsonAsync(new ApiDetail("Not authenticated"));
            return;
        }
        var firstRun = !await http.RequestServices.GetRequiredService<FirstRunState>().HasUsersAsync(http.RequestAborted);
        var target = firstRun ? "/setup" : context.RedirectUri;
        if (http.Request.Headers.ContainsKey("HX-Request"))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            http.Response.Headers["HX-Redirect"] = target;
            return;
        }
        http.Response.Redirect(target);
    }
}

/// <summary>Whether the instance has any user yet; once it has, that never changes back.</summary>
public sealed class FirstRunState(UserStore users)
{
    private volatile bool _hasUsers;

    public async ValueTask<bool> HasUsersAsync(CancellationToken cancellationToken) =>
        _hasUsers || (_hasUsers = await users.AnyAsync(cancellationToken));

    public void UsersExist() => _hasUsers = true;
}

/// <summary>The signed-in user's family: every store filters by it.</summary>
public sealed class SignedInFamily(IHttpContextAccessor accessor) : IFamilyContext
{
    public ValueTask<long> FamilyIdAsync(CancellationToken cancellationToken) =>
        accessor.HttpContext?.User.FamilyIdOf() is { } id
            ? ValueTask.FromResult(id)
            : throw new InvalidOperationException("No signed-in family on this request");

    public long? UserId => accessor.HttpContext?.User.UserId();
}

/// <summary>
/// Unsafe API requests authenticated by the session cookie must carry the antiforgery token
/// (header); bearer-token calls carry no cookie and need none.
/// </summary>
public sealed class ApiAntiforgeryMiddleware(RequestDelegate next, IAntiforgery antiforgery)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var method = context.Request.Method;
        if (context.Request.Path.StartsWithSegments("/api") &&
            !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method)) &&
            context.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme } &&
            !await antiforgery.IsRequestValidAsync(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new ApiDetail("Missing or invalid antiforgery token"));
            return;
        }
        await next(context);
    }
}
