using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Errors;

/// <summary>The friendly page for 404, 500 and other error statuses. Never shows exception details.</summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel(IStringLocalizer<SharedResource> text) : PageModel
{
    public string Title { get; private set; } = "";
    public string Text { get; private set; } = "";
    public string? TraceId { get; private set; }

    public void OnGet() => Describe();

    // The exception handler re-executes with the original method. No handler parameters: binding them
    // would read the form, and the body of a request refused as too large must stay unread.
    public void OnPost() => Describe();

    private void Describe()
    {
        var code = int.TryParse(RouteData.Values["code"] as string, out var number) ? number : (int?)null;
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null
            || HttpContext.Features.Get<IExceptionHandlerFeature>() is not null;
        var status = reExecuted ? Response.StatusCode : code is >= 400 and <= 599 ? code.Value : 404;
        if (!reExecuted)
        {
            Response.StatusCode = status;
        }
        (Title, Text) = status switch
        {
            403 => (text["Error.Title.403"].Value, text["Error.Text.403"].Value),
            404 => (text["Error.Title.404"].Value, text["Error.Text.404"].Value),
            413 => (text["Error.Title.413"].Value, text["Error.Text.413"].Value),
            429 => (text["Error.Title.429"].Value, text["Error.Text.429", RetryAfterSeconds()].Value),
            >= 500 => (text["Error.Title.500"].Value, text["Error.Text.500"].Value),
            _ => (text["Error.Title.Other", status].Value, text["Error.Text.Other"].Value),
        };
        if (status >= 500)
        {
            ViewData["ServerError"] = true;
            TraceId = Activity.Current?.TraceId.ToString() ?? HttpContext.TraceIdentifier;
        }
    }

    // Set by the rate limiter on the refused request; the re-executed page keeps its headers.
    private int RetryAfterSeconds() => int.TryParse(Response.Headers.RetryAfter, out var seconds) ? seconds : 60;
}
