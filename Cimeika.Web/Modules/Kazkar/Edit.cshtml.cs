using Cimeika.Web.Infrastructure.Data;
using Cimeika.Web.Infrastructure.Web;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Kazkar;

/// <summary>
/// <c>/kazkar/{id}/edit</c>: the edit form, as a page or (htmx) as an inline editor that replaces the
/// story's row; saving answers with the updated row, or the form with messages and 422.
/// </summary>
public sealed class EditModel(StoryStore store, IFamilyContext family, IStringLocalizer<SharedResource> text)
    : StoryPageModel(store, family)
{
    [BindProperty] public StoryForm Form { get; set; } = new();

    public StoryFormView FormView { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken)) return NotFound();
        FormView = View(StoryForm.From(Story), new Dictionary<string, string>());
        return Request.WantsFragment() ? Partial("_StoryEditor", FormView) : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken)) return NotFound();
        var (input, errors) = Form.ToInput();
        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            FormView = View(Form, StoryFormView.Messages(errors, text));
            return Request.WantsFragment() ? Partial("_StoryEditor", FormView) : Page();
        }
        var updated = await Store.UpdateAsync(await FamilyIdAsync(cancellationToken), Id, input with { SourceTrace = Story.SourceTrace }, cancellationToken);
        if (updated is null) return NotFound();
        if (Request.WantsFragment())
        {
            Response.Htmx(h => h.WithTrigger(IndexModel.ChangedEvent));
            return Partial("_StoryRow", updated);
        }
        TempData["Notice"] = text["Kazkar.Updated"].Value;
        return Redirect($"/kazkar/{Id}");
    }

    private StoryFormView View(StoryForm form, IReadOnlyDictionary<string, string> errors) =>
        new(form, errors, $"/kazkar/{Id}/edit", $"story-{Id}", Id);
}
