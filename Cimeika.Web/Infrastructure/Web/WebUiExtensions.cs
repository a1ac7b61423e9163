using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using Htmx;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.ResponseCompression;

namespace Cimeika.Web.Infrastructure.Web;

public static class WebUiExtensions
{
    public static readonly CultureInfo[] SupportedCultures = [new("uk"), new("en")];
    public const string DefaultCulture = "uk";

    public static IServiceCollection AddWebUi(this IServiceCollection services)
    {
        // Ukrainian text is written as is, not as numeric character references.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(DefaultCulture);
            o.SupportedCultures = SupportedCultures;
            o.SupportedUICultures = SupportedCultures;
            // Ukrainian unless the language switch (a cookie) says otherwise, whatever the browser's language.
            o.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });

        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Modules";
                o.Conventions.ConfigureFilter(new VaryByHtmxFilter());
            })
            .AddViewLocalization();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = "RequestVerificationToken";
            o.FormFieldName = "__RequestVerificationToken";
        });
        services.Configure<RazorPagesOptions>(o =>
        {
            o.Conventions.AuthorizePage("/Account/Members", Identity.Policies.Owner);
            o.Conventions.AuthorizeFolder("/Operations", Identity.Policies.Operator);
            o.Conventions.AllowAnonymousToPage("/Errors/Error");
            o.Conventions.AllowAnonymousToPage("/Account/SignIn");
            o.Conventions.AllowAnonymousToPage("/Account/Setup");
        });

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = null;
        });

        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["image/svg+xml", "text/markdown"]);
        });
        return services;
    }

    public static string ThemeFor(this HttpContext context, string? module) => Modules.ModuleCatalog.ThemeOf(module);
}

/// <summary>Pages answer htmx requests with fragments and others with full pages: caches must key on HX-Request.</summary>
public sealed class VaryByHtmxFilter : IResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context) =>
        context.HttpContext.Response.Headers.Append("Vary", "HX-Request");

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}

public static class HtmxRequestExtensions
{
    /// <summary>An htmx request that wants a fragment: not boosted and not a history restore.</summary>
    public static bool WantsFragment(this HttpRequest request) =>
        request.IsHtmx(out var values) && values is { Boosted: false, HistoryRestoreRequest: false };
}
