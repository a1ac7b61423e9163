using System.Globalization;
using System.Text;
using Cimeika.Web.Infrastructure.Api;
using Cimeika.Web.Infrastructure.Data;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Kazkar;

/// <summary><c>/api/v1/kazkar/...</c>: the earlier system's routes and shapes, with working filters.</summary>
public static class KazkarApi
{
    public static IServiceCollection AddKazkar(this IServiceCollection services)
    {
        services.AddSingleton<StoryStore>();
        services.AddSingleton<Infrastructure.Text.MarkdownRenderer>();
        return services;
    }

    public static IEndpointRouteBuilder MapKazkarApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/kazkar").WithTags("kazkar");

        api.MapGet("/stories", (HttpRequest request, StoryStore store, IFamilyContext family, IStringLocalizer<SharedResource> text) =>
                ListAsync(request, store, family, text, type: null))
            .WithSummary("List stories, newest first. Filters: q (full-text, prefix), story_type, tag, participant; paging: skip, limit (1-1000).")
            .Produces<IReadOnlyList<StoryDto>>()
            .Produces<ValidationErrorBody>(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/legends", (HttpRequest request, StoryStore store, IFamilyContext family, IStringLocalizer<SharedResource> text) =>
                ListAsync(request, store, family, text, type: StoryTypes.Legend))
            .WithSummary("List legends (story_type = legend).")
            .Produces<IReadOnlyList<StoryDto>>();

        api.MapGet("/stats", async (StoryStore store, IFamilyContext family, CancellationToken ct) =>
            {
                var counts = await store.CountByTypeAsync(await family.FamilyIdAsync(ct), ct);
                var byType = StoryTypes.All.ToDictionary(t => t, t => counts.GetValueOrDefault(t));
                return TypedResults.Json(new StoryStats(byType.Values.Sum(), byType));
            })
            .WithSummary("Number of stories, in total and by type.");

        api.MapPost("/stories", async (HttpRequest request, StoryStore store, IFamilyContext family, IStringLocalizer<SharedResource> text) =>
            {
                var (input, error) = await ReadInputAsync(request, new StoryInput(), text);
                if (error is not null) return error;
                var ct = request.HttpContext.RequestAborted;
                var story = await store.CreateAsync(await family.FamilyIdAsync(ct), family.UserId, input!, "api", ct);
                return Results.Json(StoryDto.From(story), statusCode: StatusCodes.Status201Created);
            })
            .WithSummary("Create a story. Required: title, content.")
            .Accepts<StoryRequest>("application/json")
            .Produces<StoryDto>(StatusCodes.Status201Created)
            .Produces<ValidationErrorBody>(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/stories/{id:long}", async (long id, StoryStore store, IFamilyContext family, CancellationToken ct) =>
                await store.GetAsync(await family.FamilyIdAsync(ct), id, ct) is { } story
                    ? Results.Json(StoryDto.From(story))
                    : JsonApi.NotFound("Story"))
            .WithSummary("One story.")
            .Produces<StoryDto>()
            .Produces<ApiDetail>(StatusCodes.Status404NotFound);

        api.MapPut("/stories/{id:long}", async (long id, HttpRequest request, StoryStore store, IFamilyContext family, IStringLocalizer<SharedResource> text) =>
            {
                var ct = request.HttpContext.RequestAborted;
                var familyId = await family.FamilyIdAsync(ct);
                if (await store.GetAsync(familyId, id, ct) is not { } existing) return JsonApi.NotFound("Story");
                var (input, error) = await ReadInputAsync(request, existing.ToInput(), text);
                if (error is not null) return error;
                return await store.UpdateAsync(familyId, id, input!, ct) is { } updated
                    ? Results.Json(StoryDto.From(updated))
                    : JsonApi.NotFound("Story");
            })
            .WithSummary("Update a story: only the fields sent change.")
            .Accepts<StoryRequest>("application/json")
            .Produces<StoryDto>()
            .Produces<ApiDetail>(StatusCodes.Status404NotFound)
            .Produces<ValidationErrorBody>(StatusCodes.Status422UnprocessableEntity);

        api.MapDelete("/stories/{id:long}", async (long id, StoryStore store, IFamilyContext family, CancellationToken ct) =>
                await store.DeleteAsync(await family.FamilyIdAsync(ct), id, ct)
                    ? Results.Json(new ApiMessage("Story deleted successfully"))
                    : JsonApi.NotFound("Story"))
            .WithSummary("Delete a story.")
            .Produces<ApiMessage>()
            .Produces<ApiDetail>(StatusCodes.Status404NotFound);

        api.MapPost("/import", async (HttpRequest request, StoryStore store, IFamilyContext family, IStringLocalizer<SharedResource> text) =>
            {
                var (input, error) = await ReadInputAsync(request, new StoryInput { StoryType = StoryTypes.Legend }, text, requireSource: true);
                if (error is not null) return error;
                var ct = request.HttpContext.RequestAborted;
                var (story, created) = await store.UpsertBySourceAsync(await family.FamilyIdAsync(ct), family.UserId, input!, ct);
                return Results.Json(StoryDto.From(story), statusCode: created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
            })
            .WithSummary("Import a story, upserting by source_trace (required): 201 when created, 200 when updated. story_type defaults to legend.")
            .Accepts<StoryRequest>("application/json")
            .Produces<StoryDto>()
            .Produces<StoryDto>(StatusCodes.Status201Created)
            .Produces<ValidationErrorBody>(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/export", async (StoryStore store, IFamilyContext family, CancellationToken ct) =>
            {
                var stories = await store.AllAsync(await family.FamilyIdAsync(ct), ct);
                return Results.File(Encoding.UTF8.GetBytes(StoryMarkdown.Write(stories)), "text/markdown; charset=utf-8", ExportFileName());
            })
            .WithSummary("Every story as one Markdown file (front matter per story); importable again.")
            .Produces<string>(contentType: "text/markdown");

        return endpoints;
    }

    public static string ExportFileName() => $"kazkar-{DateTime.UtcNow.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.md";

    private static async Task<IResult> ListAsync(HttpRequest request, StoryStore store, IFamilyContext family,
        IStringLocalizer<SharedResource> text, string? type)
    {
        var query = new QueryParameters(request.Query);
        var skip = query.Int("skip", 0, 0, int.MaxValue);
        var limit = query.Int("limit", 100, 1, 1000);
        var storyType = type ?? query.Choice("story_type", StoryTypes.All);
        if (query.Problem(text) is { } problem) return problem;
        var ct = request.HttpContext.RequestAborted;
        var familyId = await family.FamilyIdAsync(ct);
        var items = new List<StoryDto>();
        // The store pages by at most 100; a larger limit reads consecutive pages.
        for (var offset = skip; items.Count < limit;)
        {
            var page = await store.SearchAsync(familyId, new StoryQuery
            {
                Text = query.Text("q"),
                Type = storyType,
                Tag = query.Text("tag"),
                Participant = query.Text("participant"),
                Skip = offset,
                Limit = Math.Min(100, limit - items.Count),
            }, ct);
            items.AddRange(page.Items.Select(StoryDto.From));
            if (page.Items.Count == 0 || offset + page.Items.Count >= page.Total) break;
            offset += page.Items.Count;
        }
        return Results.Json(items);
    }

    private static Task<(StoryInput? Input, IResult? Error)> ReadInputAsync(HttpRequest request, StoryInput start,
        IStringLocalizer<SharedResource> text, bool requireSource = false) =>
        JsonApi.ReadInputAsync(request, text, (f, v) =>
        {
            var input = (start with
            {
                Title = f.Has("title") ? f.String("title") : start.Title,
                Content = f.Has("content") ? f.String("content") : start.Content,
                StoryType = f.Has("story_type") ? f.String("story_type") : start.StoryType,
                Participants = f.Has("participants") ? f.StringList("participants") : start.Participants,
                Location = f.Has("location") ? f.String("location") : start.Location,
                Tags = f.Has("tags") ? f.StringList("tags") : start.Tags,
                HappenedOn = f.Has("happened_on") ? f.Date("happened_on") : start.HappenedOn,
                SourceTrace = f.Has("source_trace") ? f.String("source_trace") : start.SourceTrace,
            }).Normalized();
            if (requireSource && input.SourceTrace is null && !v.Errors.Any(e => e.Field == "source_trace"))
            {
                v.Add("source_trace", ValidationCodes.Required);
            }
            return input;
        }, input => input.Validate());
}

/// <summary>A story as the API returns it (the earlier shape plus happened_on and updated_at).</summary>
public sealed record StoryDto(
    long Id,
    string Module,
    DateTime Time,
    DateTime UpdatedAt,
    IReadOnlyList<string> Tags,
    string? SourceTrace,
    string Title,
    string Content,
    string StoryType,
    IReadOnlyList<string> Participants,
    string? Location,
    DateOnly? HappenedOn)
{
    public static StoryDto From(Story s) => new(s.Id, "kazkar", s.CreatedAt, s.UpdatedAt, s.Tags, s.SourceTrace,
        s.Title, s.Content, s.StoryType, s.Participants, s.Location, s.HappenedOnDate);
}

/// <summary>The request body of create, update and import (for the API documentation).</summary>
public sealed record StoryRequest(
    string Title,
    string Content,
    string? StoryType,
    IReadOnlyList<string>? Participants,
    string? Location,
    IReadOnlyList<string>? Tags,
    DateOnly? HappenedOn,
    string? SourceTrace);

public sealed record StoryStats(int TotalStories, IReadOnlyDictionary<string, int> ByType);

public sealed record ApiMessage(string Message);
