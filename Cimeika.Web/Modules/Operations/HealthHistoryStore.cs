using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Cimeika.Web.Modules.Operations;

/// <summary>The status-change history (health_status_changes): all of the dashboard's SQL.</summary>
public sealed class HealthHistoryStore(NpgsqlDataSource dataSource)
{
    // A row only when the status differs from the key's latest row, so several polls (or several
    // instances) of an unchanged status add nothing.
    private const string RecordSql = """
        insert into health_status_changes (endpoint, check_name, status, description, changed_at)
        select @Endpoint, @Check, @Status, @Description, @ChangedAt
        where (select status from health_status_changes
               where endpoint = @Endpoint and check_name = @Check
               order by changed_at desc, id desc limit 1) is distinct from @Status
        """;

    private const string LatestSql = """
        select distinct on (check_name) check_name as "check", changed_at
        from health_status_changes
        where endpoint = @endpoint
        order by check_name, changed_at desc, id desc
        """;

    // The changes inside the window plus, per key, the last one before it: the status the window opens with.
    private const string ChangesSql = """
        select endpoint, check_name as "check", status, description, changed_at
        from health_status_changes
        where changed_at >= @from
        union all
        select endpoint, "check", status, description, changed_at from (
            select distinct on (endpoint, check_name) endpoint, check_name as "check", status, description, changed_at
            from health_status_changes
            where changed_at < @from
            order by endpoint, check_name, changed_at desc, id desc
        ) opening
        order by changed_at, endpoint, "check"
        """;

    /// <summary>Records what changed in this report and returns, per check ('' for the endpoint), since when its status holds.</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> RecordAsync(EndpointReport report, CancellationToken cancellationToken)
    {
        var rows = report.Checks
            .Select(c => new Row(report.Endpoint, c.Name, c.Status.ToDb(), Truncate(c.Description), report.CheckedAt))
            .Prepend(new Row(report.Endpoint, "", report.Status.ToDb(), Truncate(report.Error), report.CheckedAt))
            .ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(RecordSql, rows, transaction, cancellationToken: cancellationToken));
        var latest = await connection.QueryAsync<(string Check, DateTime ChangedAt)>(new CommandDefinition(
            LatestSql, new { endpoint = report.Endpoint }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return latest.ToDictionary(l => l.Check, l => new DateTimeOffset(l.ChangedAt, TimeSpan.Zero));
    }

    public async Task<IReadOnlyList<StatusChange>> ChangesAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Endpoint, string Check, string Status, string? Description, DateTime ChangedAt)>(
            new CommandDefinition(ChangesSql, new { from }, cancellationToken: cancellationToken));
        return rows.Select(r => new StatusChange
        {
            Endpoint = r.Endpoint,
            Check = r.Check,
            Status = HealthStatusText.FromText(r.Status),
            Description = r.Description,
            ChangedAt = new DateTimeOffset(r.ChangedAt, TimeSpan.Zero),
        }).ToList();
    }

    /// <returns>The number of rows removed.</returns>
    public async Task<int> PurgeAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "delete from health_status_changes where changed_at < @olderThan", new { olderThan }, cancellationToken: cancellationToken));
    }

    private static string? Truncate(string? text) => text is { Length: > 2000 } ? text[..2000] : text;

    private sealed record Row(string Endpoint, string Check, string Status, string? Description, DateTimeOffset ChangedAt);
}
