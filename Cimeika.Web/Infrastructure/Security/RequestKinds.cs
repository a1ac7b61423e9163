using Cimeika.Web.Infrastructure.Web;
using Htmx;
using Microsoft.AspNetCore.Diagnostics;

namespace Cimeika.Web.Infrastructure.Security;

public static class RequestKinds
{
    /// <summary>The API, or a client that asked for JSON; htmx requests want HTML fragments.</summary>
    public static bool WantsJson(this HttpRequest request) =>
        request.IsApi()
        || (!request.IsHtmx() && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)));

    /// <summary>An error page re-executed for a request that has already been counted and checked.</summary>
    public static bool IsReExecution(this HttpContext context) =>
        context.Features.Get<IStatusCodeReExecuteFeature>() is not null
        || context.Features.Get<IExceptionHandlerFeature>() is not null;
}
