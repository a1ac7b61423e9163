using System.Text;
using Cimeika.Web.Infrastructure.Data;
using Cimeika.Web.Infrastructure.Web;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Kazkar;

/// <summary>
/// <c>/kazkar</c>: the story list with search, filters, counts and paging, and the create form.
/// An htmx GET gets the results fragment; an htmx POST gets the form fragment back.
/// </summary>
public sealed class IndexModel(StoryStore store, IFamilyContext family, IStringLocalizer<SharedResource> text) : PageModel
{
    public const string ChangedEvent = "kazkar-changed";

    [BindProperty(SupportsGet = true, Name = "q")] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "type")] public string? Type { get; set; }
    [BindProperty(SupportsGet = true, Name = "tag")] public string? Tag { get; set; }
    [BindProperty(SupportsGet = true, Name = "participant")] public string? Participant { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    [BindProperty] public StoryForm Form { get; set; } = new();

    public StoryPage Results { get; private set; } = new([], 0, new Dictionary<string, int>());
    public StoryFormView FormView { get; private set; } = null!;
    public int PageCount => Math.Max(1, (Results.Total + StoryQuery.PageSize - 1) / StoryQuery.PageSize);
    public bool Filtered => Q is not null || Type is not null || Tag is not null || Participant is not null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadResultsAsync(cancellationToken);
        if (Request.WantsFragment())
        {
            return Partial("_StoryResults", this);
        }
        FormView = NewFormView(Form, new Dictionary<string, string>());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (input, errors) = Form.ToInput();
        if (errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            FormView = NewFormView(Form, StoryFormView.Messages(errors, text));
            if (Request.WantsFragment())
            {
                return Partial("_StoryForm", FormView);
            }
            await LoadResultsAsync(cancellationToken);
            return Page();
        }

        await store.CreateAsync(await family.FamilyIdAsync(cancellationToken), family.UserId, input, "form", cancellationToken);
        if (Request.WantsFragment())
        {
            Response.Htmx(h => h.WithTrigger(ChangedEvent));
            return Partial("_StoryForm", NewFormView(new StoryForm(), new Dictionary<string, string>(), text["Kazkar.Created"]));
        }
        TempData["Notice"] = text["Kazkar.Created"].Value;
        return Redirect("/kazkar");
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        var stories = await store.AllAsync(await family.FamilyIdAsync(cancellationToken), cancellationToken);
        return File(Encoding.UTF8.GetBytes(StoryMarkdown.Write(stories)), "text/markdown; charset=utf-8", KazkarApi.ExportFileName());
    }

    /// <summary>The list URL with the current filters, some of them replaced.</summary>
    public string ListUrl(string? type = null, int page = 1, bool keepType = true)
    {
        var query = new Dictionary<string, string?>
        {
            ["q"] = Q,
            ["type"] = keepType ? Type : type,
            ["tag"] = Tag,
            ["participant"] = Participant,
            ["p"] = page > 1 ? page.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        };
        return QueryHelpers.AddQueryString("/kazkar", query.Where(kv => !string.IsNullOrEmpty(kv.Value)));
    }

    private async Task LoadResultsAsync(CancellationToken cancellationToken)
    {
        Q = Infrastructure.Api.TextInput.Clean(Q);
        Tag = Infrastructure.Api.TextInput.Clean(Tag);
        Participant = Infrastructure.Api.TextInput.Clean(Participant);
        Type = StoryTypes.All.Contains(Type) ? Type : null;
        PageNumber = Math.Max(1, PageNumber);
        Results = await store.SearchAsync(await family.FamilyIdAsync(cancellationToken), new StoryQuery
        {
            Text = Q,
            Type = Type,
            Tag = Tag,
            Participant = Participant,
            Skip = (PageNumber - 1) * StoryQuery.PageSize,
        }, cancellationToken);
    }

    private static StoryFormView NewFormView(StoryForm form, IReadOnlyDictionary<string, string> errors, string? notice = null) =>
        new(form, errors, "/kazkar", "new-story", Notice: notice);
}
