using Ganss.Xss;
using Markdig;
using Microsoft.AspNetCore.Html;

namespace Cimeika.Web.Infrastructure.Text;

/// <summary>
/// Markdown to safe HTML: raw HTML in the source is escaped by Markdig, and the output is passed
/// through an allow-list sanitizer, so neither markup nor javascript: links survive.
/// </summary>
public sealed class MarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseEmphasisExtras()
        .UsePipeTables()
        .UseAutoLinks()
        .UseTaskLists()
        .Build();

    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public IHtmlContent Render(string markdown) =>
        new HtmlString(_sanitizer.Sanitize(Markdown.ToHtml(markdown, _pipeline)));

    /// <summary>Plain text of the Markdown, for excerpts.</summary>
    public string ToPlainText(string markdown) => Markdown.ToPlainText(markdown, _pipeline).Trim();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("http");
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("img");
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Html.Dom.IHtmlAnchorElement anchor)
            {
                anchor.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
        return sanitizer;
    }
}
