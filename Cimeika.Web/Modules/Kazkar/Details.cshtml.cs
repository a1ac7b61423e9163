using Cimeika.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;

namespace Cimeika.Web.Modules.Kazkar;

/// <summary><c>/kazkar/{id}</c>: one story, its Markdown rendered safely. <c>?handler=row</c> gives the list row fragment.</summary>
public sealed class DetailsModel(StoryStore store, IFamilyContext family) : StoryPageModel(store, family)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnGetRowAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Partial("_StoryRow", Story) : NotFound();
}
