using Dapper;
using Npgsql;

namespace Cimeika.Web.Modules.Nastrij;

public sealed record MoodQuery
{
    public const int PageSize = 20;

    public string? Mood { get; init; }
    public DateTime? Since { get; init; }
    public DateTime? Until { get; init; }
    public int Skip { get; init; }
    public int Limit { get; init; } = PageSize;
}

/// <summary>Nastrij's SQL. Every statement is scoped to one family and one author: moods are private.</summary>
public sealed class MoodStore(NpgsqlDataSource dataSource, Infrastructure.Observability.CimeikaMetrics metrics)
{
    private const string Columns = """
        id, family_id, author_id, mood, intensity, context, triggers, notes, tags, felt_at, source_trace,
        created_at, updated_at
        """;

    private const string Filters = """
        family_id = @FamilyId and author_id = @AuthorId
          and (@Mood::text is null or mood = @Mood)
          and (@Since::timestamptz is null or felt_at >= @Since)
          and (@Until::timestamptz is null or felt_at <= @Until)
        """;

    public async Task<(IReadOnlyList<MoodEntry> Items, int Total)> ListAsync(long familyId, long authorId, MoodQuery query,
        CancellationToken cancellationToken)
    {
        var parameters = new
        {
            FamilyId = familyId, AuthorId = authorId, query.Mood, query.Since, query.Until,
            Skip = Math.Max(0, query.Skip), Limit = Math.Clamp(query.Limit, 1, 1000),
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"select count(*) from nastrij_entries where {Filters}", parameters, cancellationToken: cancellationToken));
        var items = (await connection.QueryAsync<MoodEntry>(new CommandDefinition(
            $"select {Columns} from nastrij_entries where {Filters} order by felt_at desc, id desc offset @Skip limit @Limit",
            parameters, cancellationToken: cancellationToken))).ToList();
        return (items, total);
    }

    /// <summary>The author's entries felt after <paramref name="fromUtc"/>, for statistics.</summary>
    public async Task<IReadOnlyList<MoodEntry>> SinceAsync(long familyId, long authorId, DateTime fromUtc, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<MoodEntry>(new CommandDefinition(
            $"select {Columns} from nastrij_entries where family_id = @familyId and author_id = @authorId and felt_at > @fromUtc order by felt_at",
            new { familyId, authorId, fromUtc }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<MoodEntry?> GetAsync(long familyId, long authorId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<MoodEntry>(new CommandDefinition(
            $"select {Columns} from nastrij_entries where family_id = @familyId and author_id = @authorId and id = @id",
            new { familyId, authorId, id }, cancellationToken: cancellationToken));
    }

    /// <param name="via">How the entry came in, for the entries-created metric: form or api.</param>
    public async Task<MoodEntry> CreateAsync(long familyId, long authorId, MoodInput input, string via, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var entry = await connection.QuerySingleAsync<MoodEntry>(new CommandDefinition(
            $"""
            insert into nastrij_entries (family_id, author_id, mood, intensity, context, triggers, notes, tags, felt_at, source_trace)
            values (@FamilyId, @AuthorId, @Mood, @Intensity, @Context, @Triggers, @Notes, @Tags, coalesce(@FeltAt, now()), @SourceTrace)
            returning {Columns}
            """,
            Parameters(familyId, authorId, null, input), cancellationToken: cancellationToken));
        metrics.EntryCreated("nastrij", via);
        return entry;
    }

    public async Task<MoodEntry?> UpdateAsync(long familyId, long authorId, long id, MoodInput input, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<MoodEntry>(new CommandDefinition(
            $"""
            update nastrij_entries set
                mood = @Mood, intensity = @Intensity, context = @Context, triggers = @Triggers, notes = @Notes,
                tags = @Tags, felt_at = coalesce(@FeltAt, felt_at), source_trace = @SourceTrace, updated_at = now()
            where family_id = @FamilyId and author_id = @AuthorId and id = @Id
            returning {Columns}
            """,
            Parameters(familyId, authorId, id, input), cancellationToken: cancellationToken));
    }

    public async Task<bool> DeleteAsync(long familyId, long authorId, long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "delete from nastrij_entries where family_id = @familyId and author_id = @authorId and id = @id",
            new { familyId, authorId, id }, cancellationToken: cancellationToken)) == 1;
    }

    private static object Parameters(long familyId, long authorId, long? id, MoodInput input) => new
    {
        FamilyId = familyId, AuthorId = authorId, Id = id, input.Mood, Intensity = (short?)input.Intensity, input.Context,
        Triggers = input.Triggers.ToArray(), input.Notes, Tags = input.Tags.ToArray(), input.FeltAt, input.SourceTrace,
    };
}
