using System.Text.RegularExpressions;
using Cimeika.Web.Infrastructure.Observability;
using Dapper;
using Npgsql;

namespace Cimeika.Web.Modules.Kazkar;

/// <summary>Kazkar's SQL. Every statement is scoped to one family and fully parameterised.</summary>
public sealed partial class StoryStore(NpgsqlDataSource dataSource, CimeikaMetrics metrics)
{
    private const string Module = "kazkar";

    private const string Columns = """
        id, family_id, title, content, story_type, participants, location, tags, happened_on,
        source_trace, created_at, updated_at
        """;

    // One statement for every combination of filters: null parameters switch a filter off.
    private const string Filters = """
        family_id = @FamilyId
          and (@Tsq::text is null or search @@ to_tsquery('simple', @Tsq))
          and (@Tag::text is null or tags @> array[@Tag::text])
          and (@Participant::text is null or participants @> array[@Participant::text])
        """;

    private const string SearchSql = $"""
        select {Columns}
        from kazkar_stories
        where {Filters}
          and (@Type::text is null or story_type = @Type)
        order by case when @Tsq::text is null then 0 else ts_rank(search, to_tsquery('simple', @Tsq)) end desc,
                 created_at desc, id desc
        offset @Skip limit @Limit
        """;

    private const string CountSql = $"""
        select story_type as type, count(*)::int as count
        from kazkar_stories
        where {Filters}
        group by story_type
        """;

    private const string InsertValues = """
        (@FamilyId, @AuthorId, @Title, @Content, @StoryType, @Participants, @Location, @Tags, @HappenedOn, @SourceTrace)
        """;

    public async Task<StoryPage> SearchAsync(long familyId, StoryQuery query, CancellationToken cancellationToken)
    {
        var parameters = new
        {
            FamilyId = familyId,
            Tsq = ToPrefixQuery(query.Text),
            Type = query.Type,
            Tag = query.Tag,
            Participant = query.Participant,
            Skip = Math.Max(0, query.Skip),
            Limit = Math.Clamp(query.Limit, 1, 100),
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var counts = (await connection.QueryAsync<(string Type, int Count)>(
                new CommandDefinition(CountSql, parameters, cancellationToken: cancellationToken)))
            .ToDictionary(c => c.Type, c => c.Count);
        var items = (await connection.QueryAsync<Story>(
            new CommandDefinition(SearchSql, parameters, cancellationToken: cancellationToken))).ToList();
        var total = query.Type is null ? counts.Values.Sum() : counts.GetValueOrDefault(query.Type);
        return new StoryPage(items, total, counts);
    }

    public async Task<IReadOnlyDictionary<string, int>> CountByTypeAsync(long familyId, CancellationToken cancellationToken) =>
        (await SearchAsync(familyId, new StoryQuery { Limit = 1 }, cancellationToken)).CountsByType;

    public async Task<Story?> GetAsync(long familyId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Story>(new CommandDefinition(
            $"select {Columns} from kazkar_stories where family_id = @familyId and id = @id",
            new { familyId, id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<Story>> AllAsync(long familyId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Story>(new CommandDefinition(
            $"select {Columns} from kazkar_stories where family_id = @familyId order by created_at, id",
            new { familyId }, cancellationToken: cancellationToken))).ToList();
    }

    /// <param name="via">How the story came in, for the entries-created metric: form or api.</param>
    public async Task<Story> CreateAsync(long familyId, long? authorId, StoryInput input, string via, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var story = await connection.QuerySingleAsync<Story>(new CommandDefinition(
            $"insert into kazkar_stories (family_id, author_id, title, content, story_type, participants, location, tags, happened_on, source_trace) values {InsertValues} returning {Columns}",
            Parameters(familyId, authorId, input), cancellationToken: cancellationToken));
        metrics.EntryCreated(Module, via);
        return story;
    }

    public async Task<Story?> UpdateAsync(long familyId, long id, StoryInput input, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await UpdateAsync(connection, familyId, id, input, cancellationToken);
    }

    public async Task<bool> DeleteAsync(long familyId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "delete from kazkar_stories where family_id = @familyId and id = @id",
            new { familyId, id }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Import: updates the family's story with the same source, or the exported story a
    /// <c>kazkar:story/ID</c> source names, and creates one otherwise.
    /// </summary>
    public async Task<(Story Story, bool Created)> UpsertBySourceAsync(long familyId, long? authorId, StoryInput input, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (ExportedId(input.SourceTrace) is { } exportedId &&
            await UpdateAsync(connection, familyId, exportedId, input with { SourceTrace = null }, cancellationToken) is { } updated)
        {
            return (updated, false);
        }
        var row = await connection.QuerySingleAsync<UpsertRow>(new CommandDefinition(
            $"""
            insert into kazkar_stories (family_id, author_id, title, content, story_type, participants, location, tags, happened_on, source_trace)
            values {InsertValues}
            on conflict (family_id, source_trace) where source_trace is not null do update set
                title = excluded.title, content = excluded.content, story_type = excluded.story_type,
                participants = excluded.participants, location = excluded.location, tags = excluded.tags,
                happened_on = excluded.happened_on, updated_at = now()
            returning id, (xmax = 0) as created
            """,
            Parameters(familyId, authorId, input), cancellationToken: cancellationToken));
        var story = await connection.QuerySingleAsync<Story>(new CommandDefinition(
            $"select {Columns} from kazkar_stories where id = @Id", new { row.Id }, cancellationToken: cancellationToken));
        if (row.Created)
        {
            metrics.EntryCreated(Module, "import");
        }
        return (story, row.Created);
    }

    /// <summary>The source written into exports for a story that has none of its own.</summary>
    public static string ExportSource(Story story) => story.SourceTrace ?? $"kazkar:story/{story.Id}";

    private static long? ExportedId(string? source) =>
        source is not null && ExportedSourcePattern().Match(source) is { Success: true } m && long.TryParse(m.Groups[1].Value, out var id)
            ? id
            : null;

    private static async Task<Story?> UpdateAsync(NpgsqlConnection connection, long familyId, long id, StoryInput input, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<Story>(new CommandDefinition(
            $"""
            update kazkar_stories set
                title = @Title, content = @Content, story_type = @StoryType, participants = @Participants,
                location = @Location, tags = @Tags, happened_on = @HappenedOn,
                source_trace = coalesce(@SourceTrace, source_trace), updated_at = now()
            where family_id = @FamilyId and id = @Id
            returning {Columns}
            """,
            new
            {
                FamilyId = familyId, Id = id, input.Title, input.Content, input.StoryType,
                Participants = input.Participants.ToArray(), input.Location, Tags = input.Tags.ToArray(),
                HappenedOn = input.HappenedOn?.ToDateTime(TimeOnly.MinValue), input.SourceTrace,
            },
            cancellationToken: cancellationToken));

    private static object Parameters(long familyId, long? authorId, StoryInput input) => new
    {
        FamilyId = familyId, AuthorId = authorId, input.Title, input.Content, input.StoryType,
        Participants = input.Participants.ToArray(), input.Location, Tags = input.Tags.ToArray(),
        HappenedOn = input.HappenedOn?.ToDateTime(TimeOnly.MinValue), input.SourceTrace,
    };

    /// <summary>
    /// Search-as-you-type: each word of the query becomes a prefix term, all required. Only letters
    /// and digits reach to_tsquery, so no input can produce a tsquery syntax error.
    /// </summary>
    public static string? ToPrefixQuery(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var words = WordPattern().Matches(text)
            .Select(m => m.Value.ToLowerInvariant())
            .Where(w => w.Length <= 64)
            .Distinct()
            .Take(8)
            .ToList();
        return words.Count == 0 ? null : string.Join(" & ", words.Select(w => w + ":*"));
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"^kazkar:story/(\d+)$")]
    private static partial Regex ExportedSourcePattern();

    private sealed record UpsertRow(long Id, bool Created);
}
