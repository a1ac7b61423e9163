using Cimeika.Web.Infrastructure.Data;
using Cimeika.Web.Infrastructure.Web;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Kazkar;

/// <summary>
/// <c>/kazkar/{id}/delete</c>: GET asks for confirmation (the no-JavaScript path), POST deletes.
/// htmx asks with hx-confirm first and then posts directly.
/// </summary>
public sealed class DeleteModel(StoryStore store, IFamilyContext family, IStringLocalizer<SharedResource> text)
    : StoryPageModel(store, family)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await Store.DeleteAsync(await FamilyIdAsync(cancellationToken), Id, cancellationToken)) return NotFound();
        if (Request.WantsFragment())
        {
            Response.Htmx(h => h.WithTrigger(IndexModel.ChangedEvent));
            return Content("");
        }
        TempData["Notice"] = text["Kazkar.Deleted"].Value;
        return Redirect("/kazkar");
    }
}
