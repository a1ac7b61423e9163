using Cimeika.Web.Infrastructure.Data;
using Cimeika.Web.Infrastructure.Web;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Nastrij;

/// <summary>
/// <c>/nastrij</c>: record a mood, see your statistics (7 / 30 / 90 days, SVG charts) and your recent
/// entries. Everything here is the signed-in member's own: nobody else's moods are ever read.
/// </summary>
public sealed class IndexModel(MoodStore store, IFamilyContext family, TimeProvider time, IStringLocalizer<SharedResource> text) : PageModel
{
    public const string ChangedEvent = "nastrij-changed";

    [BindProperty(SupportsGet = true, Name = "days")] public int Days { get; set; } = 7;
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    [BindProperty] public MoodForm Form { get; set; } = new();

    public MoodStats Stats { get; private set; } = null!;
    public IReadOnlyList<MoodEntry> Entries { get; private set; } = [];
    public int Total { get; private set; }
    public int PageCount => Math.Max(1, (Total + MoodQuery.PageSize - 1) / MoodQuery.PageSize);
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();
    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Request.WantsFragment() ? Partial("_Journal", this) : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (input, errors) = Form.ToInput();
        if (errors.Count > 0)
        {
            Errors = Kazkar.StoryFormView.Messages(errors, text);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            if (Request.WantsFragment()) return Partial("_MoodForm", this);
            await LoadAsync(cancellationToken);
            return Page();
        }
        await store.CreateAsync(await family.FamilyIdAsync(cancellationToken), family.UserId!.Value, input, "form", cancellationToken);
        if (Request.WantsFragment())
        {
            Response.Htmx(h => h.WithTrigger(ChangedEvent));
            Form = new MoodForm();
            Notice = text["Nastrij.Saved"];
            return Partial("_MoodForm", this);
        }
        TempData["Notice"] = text["Nastrij.Saved"].Value;
        return Redirect("/nastrij");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Days = MoodStats.Periods.Contains(Days) ? Days : 7;
        PageNumber = Math.Max(1, PageNumber);
        var familyId = await family.FamilyIdAsync(cancellationToken);
        var authorId = family.UserId!.Value;
        var now = time.GetUtcNow().UtcDateTime;
        Stats = MoodStats.Compute(await store.SinceAsync(familyId, authorId, now.AddDays(-Days), cancellationToken), Days, now);
        (Entries, Total) = await store.ListAsync(familyId, authorId,
            new MoodQuery { Skip = (PageNumber - 1) * MoodQuery.PageSize }, cancellationToken);
    }
}
