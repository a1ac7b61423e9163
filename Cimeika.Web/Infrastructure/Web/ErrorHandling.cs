using Cimeika.Web.Modules;

namespace Cimeika.Web.Infrastructure.Web;

public static class ErrorHandling
{
    public static bool IsApi(this HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path == "/ready" || request.Path == "/health";

    /// <summary>
    /// Unhandled exceptions and bare error status codes: JSON <c>{"detail"}</c> for the API, the
    /// friendly error page (re-executed, status kept) for browsers. The developer exception page
    /// exists only in Development.
    /// </summary>
    public static WebApplication UseErrorHandling(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }

        app.UseWhen(context => context.Request.IsApi(), api =>
        {
            if (!app.Environment.IsDevelopment())
            {
                api.UseExceptionHandler(new ExceptionHandlerOptions
                {
                    ExceptionHandler = context => context.Response.WriteAsJsonAsync(new ApiDetail("Internal server error")),
                });
            }
            api.UseStatusCodePages(statusContext =>
            {
                var response = statusContext.HttpContext.Response;
                return response.WriteAsJsonAsync(new ApiDetail(ReasonPhrase(response.StatusCode)));
            });
        });

        app.UseWhen(context => !context.Request.IsApi(), pages =>
        {
            if (!app.Environment.IsDevelopment())
            {
                pages.UseExceptionHandler("/error/500");
            }
            pages.UseStatusCodePagesWithReExecute("/error/{0}");
        });
        return app;
    }

    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
