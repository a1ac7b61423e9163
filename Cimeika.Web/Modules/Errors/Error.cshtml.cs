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

    public void OnGet(int? code) => Describe(code);

    // The exception handler re-executes with the original method.
    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
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
            >= 500 => (text["Error.Title.500"].Value, text["Error.Text.500"].Value),
            _ => (text["Error.Title.Other", status].Value, text["Error.Text.Other"].Value),
        };
        if (status >= 500)
        {
            ViewData["ServerError"] = true;
            TraceId = Activity.Current?.TraceId.ToString() ?? HttpContext.TraceIdentifier;
        }
    }
}
