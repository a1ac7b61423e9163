using Dapper;
using Npgsql;

namespace Cimeika.Web.Infrastructure.Data;

/// <summary>The family whose records the current request may see and change.</summary>
public interface IFamilyContext
{
    ValueTask<long> FamilyIdAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Until accounts exist the instance holds one family (created by the first migration); every
/// store already filters by the id this returns, so scoping by signed-in family is a swap here.
/// </summary>
public sealed class SingleFamilyContext(NpgsqlDataSource dataSource) : IFamilyContext
{
    private long? _familyId;

    public async ValueTask<long> FamilyIdAsync(CancellationToken cancellationToken)
    {
        if (_familyId is { } id) return id;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        _familyId = await connection.ExecuteScalarAsync<long>(
            new CommandDefinition("select min(id) from families", cancellationToken: cancellationToken));
        return _familyId.Value;
    }
}
