using System.Text;
using Cimeika.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Kazkar;

/// <summary><c>/kazkar/import</c>: upload Markdown legend files; each document is upserted by its source.</summary>
// Several files at once need more than the app-wide body limit (MAX_REQUEST_BODY_BYTES).
[RequestSizeLimit(MaxRequestBytes)]
public sealed class ImportModel(StoryStore store, IFamilyContext family, IStringLocalizer<SharedResource> text) : PageModel
{
    public const int MaxFileBytes = 512 * 1024;
    public const int MaxFiles = 50;
    public const int MaxRequestBytes = 10 * 1024 * 1024;

    public int Created { get; private set; }
    public int Updated { get; private set; }
    public List<string> Problems { get; } = [];
    public bool Submitted { get; private set; }

    public void OnGet() => ViewData["Module"] = "kazkar";

    public async Task<IActionResult> OnPostAsync(List<IFormFile> files, CancellationToken cancellationToken)
    {
        ViewData["Module"] = "kazkar";
        Submitted = true;
        var markdown = files.Where(f => f.Length > 0).Take(MaxFiles).ToList();
        if (markdown.Count == 0)
        {
            Problems.Add(text["Kazkar.ImportNoFiles"]);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var familyId = await family.FamilyIdAsync(cancellationToken);
        foreach (var file in markdown)
        {
            var name = Path.GetFileName(file.FileName);
            if (!name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".markdown", StringComparison.OrdinalIgnoreCase))
            {
                Problems.Add(text["Kazkar.ImportNotMarkdown", name]);
                continue;
            }
            if (file.Length > MaxFileBytes)
            {
                Problems.Add(text["Kazkar.ImportTooLarge", name, MaxFileBytes / 1024]);
                continue;
            }
            string content;
            using (var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8))
            {
                content = await reader.ReadToEndAsync(cancellationToken);
            }
            foreach (var document in StoryMarkdown.Parse(name, content))
            {
                var errors = document.Validate();
                if (errors.Count > 0)
                {
                    Problems.AddRange(errors.Select(e =>
                        text["Kazkar.ImportInvalid", name, document.Title ?? "", e.Field, e.Message(text)].Value));
                    continue;
                }
                var (_, created) = await store.UpsertBySourceAsync(familyId, family.UserId, document, cancellationToken);
                if (created) Created++;
                else Updated++;
            }
        }
        if (Created + Updated == 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
        return Page();
    }
}
