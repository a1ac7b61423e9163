using Cimeika.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Cimeika.Web.Modules.Nastrij;

/// <summary>Base of the pages about one entry: loads it for its author only, or answers 404.</summary>
public abstract class MoodPageModel(MoodStore store, IFamilyContext family) : PageModel
{
    protected MoodStore Store => store;
    protected IFamilyContext Family => family;

    [BindProperty(SupportsGet = true)] public long Id { get; set; }

    public MoodEntry Entry { get; private set; } = null!;

    protected async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        ViewData["Module"] = "nastrij";
        if (await store.GetAsync(await family.FamilyIdAsync(cancellationToken), family.UserId!.Value, Id, cancellationToken) is not { } entry)
        {
            return false;
        }
        Entry = entry;
        return true;
    }
}
