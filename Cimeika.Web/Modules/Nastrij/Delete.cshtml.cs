using Cimeika.Web.Infrastructure.Data;
using Cimeika.Web.Infrastructure.Web;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Nastrij;

/// <summary><c>/nastrij/{id}/delete</c>: GET asks (no JavaScript), POST deletes (htmx asks with hx-confirm first).</summary>
public sealed class DeleteModel(MoodStore store, IFamilyContext family, IStringLocalizer<SharedResource> text) : MoodPageModel(store, family)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await Store.DeleteAsync(await Family.FamilyIdAsync(cancellationToken), Family.UserId!.Value, Id, cancellationToken)) return NotFound();
        if (Request.WantsFragment())
        {
            Response.Htmx(h => h.WithTrigger(IndexModel.ChangedEvent));
            return Content("");
        }
        TempData["Notice"] = text["Nastrij.Deleted"].Value;
        return Redirect("/nastrij");
    }
}
