using Cimeika.Web.Infrastructure.Api;
using Cimeika.Web.Infrastructure.Data;
using Microsoft.Extensions.Localization;

namespace Cimeika.Web.Modules.Nastrij;

/// <summary><c>/api/v1/nastrij/...</c>: the earlier emotions routes; every entry is visible to its author only.</summary>
public static class NastrijApi
{
    public static IServiceCollection AddNastrij(this IServiceCollection services) => services.AddSingleton<MoodStore>();

    public static IEndpointRouteBuilder MapNastrijApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/nastrij").WithTags("nastrij");

        api.MapGet("/emotions", async (HttpRequest request, MoodStore store, IFamilyContext family, IStringLocalizer<SharedResource> text) =>
            {
                var query = new QueryParameters(request.Query);
                var moodQuery = new MoodQuery
                {
                    Skip = query.Int("skip", 0, 0, int.MaxValue),
                    Limit = query.Int("limit", 100, 1, 1000),
                    Mood = query.Choice("emotion_state", Moods.All),
                    Since = query.Moment("since"),
                    Until = query.Moment("until"),
                };
                if (query.Problem(text) is { } problem) return problem;
                var ct = request.HttpContext.RequestAborted;
                var (items, _) = await store.ListAsync(await family.FamilyIdAsync(ct), family.UserId!.Value, moodQuery, ct);
                return Results.Json(items.Select(EmotionDto.From));
            })
            .WithSummary("Your mood entries, newest first. Filters: emotion_state, since, until (ISO 8601); paging: skip, limit (1-1000).")
            .Produces<IReadOnlyList<EmotionDto>>()
            .Produces<ValidationErrorBody>(StatusCodes.Status422UnprocessableEntity);

        api.MapPost("/emotions", async (HttpRequest request, MoodStore store, IFamilyContext family, IStringLocalizer<SharedResource> text) =>
            {
                var (input, error) = await ReadInputAsync(request, new MoodInput(), text);
                if (error is not null) return error;
                var ct = request.HttpContext.RequestAborted;
                var entry = await store.CreateAsync(await family.FamilyIdAsync(ct), family.UserId!.Value, input!, "api", ct);
                return Results.Json(EmotionDto.From(entry), statusCode: StatusCodes.Status201Created);
            })
            .WithSummary("Record a mood. Required: emotion_state (happy, excited, calm, neutral, tired, sad, anxious, angry) and intensity (1-10).")
            .Accepts<EmotionRequest>("application/json")
            .Produces<EmotionDto>(StatusCodes.Status201Created)
            .Produces<ValidationErrorBody>(StatusCodes.Status422UnprocessableEntity);

        api.MapGet("/emotions/{id:long}", async (long id, MoodStore store, IFamilyContext family, CancellationToken ct) =>
                await store.GetAsync(await family.FamilyIdAsync(ct), family.UserId!.Value, id, ct) is { } entry
                    ? Results.Json(EmotionDto.From(entry))
                    : JsonApi.NotFound("Emotion"))
            .WithSummary("One of your mood entries.")
            .Produces<EmotionDto>()
            .Produces<ApiDetail>(StatusCodes.Status404NotFound);

        api.MapPut("/emotions/{id:long}", async (long id, HttpRequest request, MoodStore store, IFamilyContext family, IStringLocalizer<SharedResource> text) =>
            {
                var ct = request.HttpContext.RequestAborted;
                var familyId = await family.FamilyIdAsync(ct);
                var authorId = family.UserId!.Value;
                if (await store.GetAsync(familyId, authorId, id, ct) is not { } existing) return JsonApi.NotFound("Emotion");
                var (input, error) = await ReadInputAsync(request, existing.ToInput(), text);
                if (error is not null) return error;
                return await store.UpdateAsync(familyId, authorId, id, input!, ct) is { } updated
                    ? Results.Json(EmotionDto.From(updated))
                    : JsonApi.NotFound("Emotion");
            })
            .WithSummary("Update one of your mood entries: only the fields sent change.")
            .Accepts<EmotionRequest>("application/json")
            .Produces<EmotionDto>()
            .Produces<ApiDetail>(StatusCodes.Status404NotFound)
            .Produces<ValidationErrorBody>(StatusCodes.Status422UnprocessableEntity);

        api.MapDelete("/emotions/{id:long}", async (long id, MoodStore store, IFamilyContext family, CancellationToken ct) =>
                await store.DeleteAsync(await family.FamilyIdAsync(ct), family.UserId!.Value, id, ct)
                    ? Results.Json(new Kazkar.ApiMessage("Emotion deleted successfully"))
                    : JsonApi.NotFound("Emotion"))
            .WithSummary("Delete one of your mood entries.")
            .Produces<Kazkar.ApiMessage>()
            .Produces<ApiDetail>(StatusCodes.Status404NotFound);

        api.MapGet("/stats", async (HttpRequest request, MoodStore store, IFamilyContext family, TimeProvider time, IStringLocalizer<SharedResource> text) =>
            {
                var query = new QueryParameters(request.Query);
                var days = query.Int("days", 7, 1, 366);
                if (query.Problem(text) is { } problem) return problem;
                var ct = request.HttpContext.RequestAborted;
                var now = time.GetUtcNow().UtcDateTime;
                var entries = await store.SinceAsync(await family.FamilyIdAsync(ct), family.UserId!.Value, now.AddDays(-days), ct);
                return Results.Json(MoodStats.Compute(entries, days, now));
            })
            .WithSummary("Your mood statistics over the last N days (days=7 default, 1-366): count, average intensity, most common mood, distribution, trend (improving, stable, declining, insufficient_data) and daily averages.")
            .Produces<MoodStats>()
            .Produces<ValidationErrorBody>(StatusCodes.Status422UnprocessableEntity);

        return endpoints;
    }

    private static Task<(MoodInput? Input, IResult? Error)> ReadInputAsync(HttpRequest request, MoodInput start,
        IStringLocalizer<SharedResource> text) =>
        JsonApi.ReadInputAsync(request, text, (f, _) => (start with
        {
            Mood = f.Has("emotion_state") ? f.String("emotion_state") : start.Mood,
            Intensity = f.Has("intensity") ? f.Integer("intensity") : start.Intensity,
            Context = f.Has("context") ? f.String("context") : start.Context,
            Triggers = f.Has("triggers") ? f.StringList("triggers") : start.Triggers,
            Notes = f.Has("notes") ? f.String("notes") : start.Notes,
            Tags = f.Has("tags") ? f.StringList("tags") : start.Tags,
            FeltAt = f.Has("felt_at") ? f.Moment("felt_at") : start.FeltAt,
            SourceTrace = f.Has("source_trace") ? f.String("source_trace") : start.SourceTrace,
        }).Normalized(), input => input.Validate());
}

/// <summary>A mood entry as the API returns it (the earlier shape plus felt_at).</summary>
public sealed record EmotionDto(
    long Id,
    string Module,
    DateTime Time,
    IReadOnlyList<string> Tags,
    string? SourceTrace,
    string EmotionState,
    int Intensity,
    string? Context,
    IReadOnlyList<string> Triggers,
    string? Notes,
    DateTime FeltAt)
{
    public static EmotionDto From(MoodEntry e) => new(e.Id, "nastrij", e.CreatedAt, e.Tags, e.SourceTrace, e.Mood, e.Intensity,
        e.Context, e.Triggers, e.Notes, e.FeltAt);
}

/// <summary>The request body of create and update (for the API documentation).</summary>
public sealed record EmotionRequest(
    string EmotionState,
    int Intensity,
    string? Context,
    IReadOnlyList<string>? Triggers,
    string? Notes,
    IReadOnlyList<string>? Tags,
    DateTime? FeltAt,
    string? SourceTrace);
