using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules;

/// <summary>The API root and the module list/status routes of the earlier system.</summary>
public static class ModulesApi
{
    public static IEndpointRouteBuilder MapModulesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpContext context) =>
            {
                if (WantsHtml(context.Request))
                {
                    return Results.Redirect("/ci");
                }
                context.Response.Headers.Vary = "Accept";
                return Results.Json(new ApiRoot("success", "Cimeika API", AppInfo.Version, "/api/docs", ModuleCatalog.ApiOrder));
            })
            .WithTags("Service")
            .WithSummary("API root. Browsers (Accept: text/html) are redirected to /ci.")
            .AllowAnonymous()
            .Produces<ApiRoot>();

        var modules = endpoints.MapGroup("/api/v1/modules").WithTags("Modules").AllowAnonymous();

        modules.MapGet("/", () => TypedResults.Json(new ModuleList("success", ModuleCatalog.ApiOrder)))
            .WithSummary("The seven module names.");

        modules.MapGet("/status", (IStringLocalizer<SharedResource> text) =>
                TypedResults.Json(new ModuleStatusList("success",
                    ModuleCatalog.ApiOrder.ToDictionary(slug => slug, slug => Status(slug, text)))))
            .WithSummary("Status of every module.");

        modules.MapGet("/{name}/status", (string name, IStringLocalizer<SharedResource> text) =>
                ModuleCatalog.Find(name) is { } module
                    ? Results.Json(new ModuleData<ModuleStatus>("success", module.Slug, Status(module.Slug, text)))
                    : NotFound(name))
            .WithSummary("Status of one module.")
            .Produces<ModuleData<ModuleStatus>>()
            .Produces<ApiDetail>(StatusCodes.Status404NotFound);

        modules.MapGet("/{name}/metadata", (string name, IStringLocalizer<SharedResource> text) =>
                ModuleCatalog.Find(name) is { } module
                    ? Results.Json(new ModuleData<ModuleMetadata>("success", module.Slug, new ModuleMetadata(
                        module.Slug, text[module.NameKey], text[module.DescriptionKey], module.Path, module.Theme,
                        AppInfo.Version, $"/api/v1/{module.Slug}/")))
                    : NotFound(name))
            .WithSummary("Name, description, page and theme of one module.")
            .Produces<ModuleData<ModuleMetadata>>()
            .Produces<ApiDetail>(StatusCodes.Status404NotFound);

        foreach (var slug in ModuleCatalog.ApiOrder)
        {
            var module = ModuleCatalog.Find(slug)!;
            endpoints.MapGet($"/api/v1/{slug}/", (IStringLocalizer<SharedResource> text) =>
                    TypedResults.Json(new ModuleInfo(module.Slug, text[module.NameKey], text[module.DescriptionKey], "active")))
                .WithTags(module.Slug)
                .WithName($"{slug}-module")
                .WithSummary($"The {slug} module answers.")
                .AllowAnonymous();
        }
        return endpoints;
    }

    private static ModuleStatus Status(string slug, IStringLocalizer<SharedResource> text) =>
        new("active", text[$"Module.{slug}.Name"], true);

    private static IResult NotFound(string name) =>
        Results.Json(new ApiDetail($"Module '{name}' not found"), statusCode: StatusCodes.Status404NotFound);

    private static bool WantsHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}

public sealed record ApiRoot(string Status, string Message, string Version, string Docs, IReadOnlyList<string> Modules);
public sealed record ModuleList(string Status, IReadOnlyList<string> Modules);
public sealed record ModuleStatus(string Status, string Name, bool Initialized);
public sealed record ModuleStatusList(string Status, IReadOnlyDictionary<string, ModuleStatus> Modules);
public sealed record ModuleData<T>(string Status, string Module, T Data);
public sealed record ModuleMetadata(string Slug, string Name, string Description, string Page, string Theme, string Version, string Api);
public sealed record ModuleInfo(string Module, string Name, string Description, string Status);

/// <summary>The earlier API's error body: <c>{"detail": "..."}</c>.</summary>
public sealed record ApiDetail(string Detail);
