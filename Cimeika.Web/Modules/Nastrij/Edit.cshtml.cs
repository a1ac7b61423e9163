using Cimeika.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Nastrij;

/// <summary><c>/nastrij/{id}/edit</c>: change one of your entries.</summary>
public sealed class EditModel(MoodStore store, IFamilyContext family, IStringLocalizer<SharedResource> text) : MoodPageModel(store, family)
{
    [BindProperty] public MoodForm Form { get; set; } = new();
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken)) return NotFound();
        Form = MoodForm.From(Entry);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken)) return NotFound();
        var (input, errors) = Form.ToInput();
        if (errors.Count > 0)
        {
            Errors = Kazkar.StoryFormView.Messages(errors, text);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var updated = await Store.UpdateAsync(await Family.FamilyIdAsync(cancellationToken), Family.UserId!.Value, Id,
            input with { Tags = Entry.Tags, SourceTrace = Entry.SourceTrace }, cancellationToken);
        if (updated is null) return NotFound();
        TempData["Notice"] = text["Kazkar.Updated"].Value;
        return Redirect("/nastrij");
    }
}
