using Cimeika.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Cimeika.Web.Modules.Kazkar;

/// <summary>Base of the pages about one story (<c>/kazkar/{id}...</c>): loads it within the family or answers 404.</summary>
public abstract class StoryPageModel(StoryStore store, IFamilyContext family) : PageModel
{
    protected StoryStore Store => store;

    [BindProperty(SupportsGet = true)] public long Id { get; set; }

    public Story Story { get; protected set; } = null!;

    protected async Task<long> FamilyIdAsync(CancellationToken cancellationToken) => await family.FamilyIdAsync(cancellationToken);

    /// <returns>false when the family has no such story.</returns>
    protected async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await store.GetAsync(await FamilyIdAsync(cancellationToken), Id, cancellationToken) is not { } story)
        {
            return false;
        }
        Story = story;
        ViewData["Module"] = "kazkar";
        ViewData["Title"] = story.Title;
        return true;
    }
}
