namespace Cimeika.Web.Infrastructure.Api;

public static class ApiDocsExtensions
{
    private const string DocumentName = "openapi";

    public static IServiceCollection AddApiDocs(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc(DocumentName, new Microsoft.OpenApi.OpenApiInfo
            {
                Title = "Cimeika API",
                Version = AppInfo.Version,
                Description = "JSON API of the Cimeika family organiser, compatible with the earlier /api/v1 routes.",
            });
            o.CustomSchemaIds(type => type.FullName!.Replace("Cimeika.Web.", "").Replace('+', '.'));
        });
        return services;
    }

    /// <summary>OpenAPI document at <c>/api/openapi.json</c>, Swagger UI at <c>/api/docs</c>.</summary>
    public static WebApplication UseApiDocs(this WebApplication app)
    {
        app.UseSwagger(o => o.RouteTemplate = "api/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api/docs";
            o.SwaggerEndpoint($"/api/{DocumentName}.json", "Cimeika API");
            o.DocumentTitle = "Cimeika API";
        });
        return app;
    }
}
