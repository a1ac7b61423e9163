using Cimeika.Web.Infrastructure.Configuration;
using Cimeika.Web.Infrastructure.Web;
using Cimeika.Web.Modules;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Cimeika.Web.Infrastructure.Security;

/// <summary>
/// The request body limit: MAX_REQUEST_BODY_BYTES, or the endpoint's own (<c>[RequestSizeLimit]</c>). A
/// declared Content-Length over it is refused with 413 before anything is read; a chunked body that
/// grows past it is cut off by Kestrel, and that too becomes a 413. JSON clients get
/// <c>{"detail"}</c>, browsers the friendly error page.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, SecuritySettings settings)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.IsReExecution())
        {
            await next(context);
            return;
        }
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } endpointLimit
            ? endpointLimit.MaxRequestBodySize
            : settings.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        if (limit is not { } max)
        {
            await next(context);
            return;
        }
        if (context.Request.ContentLength > max)
        {
            await RejectAsync(context, max);
            return;
        }
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await RejectAsync(context, max);
        }
    }

    private static Task RejectAsync(HttpContext context, long limit)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return context.Request.WantsJson()
            ? context.Response.WriteAsJsonAsync(new ApiDetail($"Request body too large: the limit is {limit} bytes"))
            : Task.CompletedTask;
    }
}
