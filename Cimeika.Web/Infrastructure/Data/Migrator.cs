using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Cimeika.Web.Infrastructure.Data;

public sealed record MigrationScript(string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql)));
}

/// <summary>The numbered SQL files of <c>migrations/</c>, in the order they apply.</summary>
public sealed class MigrationScripts(IReadOnlyList<MigrationScript> scripts)
{
    public IReadOnlyList<MigrationScript> All { get; } = scripts.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    public static MigrationScripts Embedded()
    {
        var assembly = typeof(MigrationScripts).Assembly;
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("migrations/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(new MigrationScript(resource["migrations/".Length..], reader.ReadToEnd()));
        }
        return new MigrationScripts(scripts);
    }

    public static MigrationScripts FromDirectory(string directory) => new(
        Directory.GetFiles(directory, "*.sql")
            .Select(path => new MigrationScript(Path.GetFileName(path), File.ReadAllText(path, Encoding.UTF8)))
            .ToList());
}

/// <summary>A migration file that PostgreSQL refused; nothing of that file was applied.</summary>
public sealed class MigrationFailedException(string script, string reason, Exception inner)
    : Exception($"Migration {script} failed: {reason}", inner)
{
    public string Script { get; } = script;
}

/// <summary>
/// Applies pending migration files, each in its own transaction, recording them in
/// <c>schema_migrations</c>. A session-level advisory lock serialises concurrent instances: the
/// second one waits, then finds nothing left to do.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, MigrationScripts scripts, ILogger<Migrator> logger)
{
    // Arbitrary but fixed: "cimeika" in ASCII, so every instance takes the same lock.
    private const long AdvisoryLockKey = 0x63696d65696b61;

    private const string JournalDdl = """
        create table if not exists schema_migrations (
            name        text primary key,
            checksum    text not null,
            applied_at  timestamptz not null default now()
        )
        """;

    public IReadOnlyList<MigrationScript> Scripts => scripts.All;

    /// <returns>The names of the files applied by this call.</returns>
    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, "select pg_advisory_lock(@key)", cancellationToken, ("key", AdvisoryLockKey));
        try
        {
            await ExecuteAsync(connection, null, JournalDdl, cancellationToken);
            var applied = await ReadAppliedAsync(connection, cancellationToken);
            var done = new List<string>();
            foreach (var script in scripts.All)
            {
                if (applied.TryGetValue(script.Name, out var checksum))
                {
                    if (checksum != script.Checksum)
                    {
                        logger.LogWarning("Migration {Script} changed after it was applied; the change is not re-applied", script.Name);
                    }
                    continue;
                }
                await ApplyOneAsync(connection, script, cancellationToken);
                done.Add(script.Name);
                logger.LogInformation("Applied migration {Script}", script.Name);
            }
            return done;
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, null, "select pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
            }
        }
    }

    /// <returns>The names of files not yet recorded in the journal.</returns>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("select to_regclass('schema_migrations') is not null", connection);
        var hasJournal = (bool)(await exists.ExecuteScalarAsync(cancellationToken))!;
        var applied = hasJournal ? await ReadAppliedAsync(connection, cancellationToken) : new Dictionary<string, string>();
        return scripts.All.Where(s => !applied.ContainsKey(s.Name)).Select(s => s.Name).ToList();
    }

    private static async Task ApplyOneAsync(NpgsqlConnection connection, MigrationScript script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, transaction, script.Sql, cancellationToken);
            await ExecuteAsync(connection, transaction,
                "insert into schema_migrations (name, checksum) values (@name, @checksum)", cancellationToken,
                ("name", script.Name), ("checksum", script.Checksum));
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            var where = e.Position > 0 ? $" (at character {e.Position})" : "";
            throw new MigrationFailedException(script.Name, $"{e.SqlState}: {e.MessageText}{where}", e);
        }
    }

    private static async Task<Dictionary<string, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("select name, checksum from schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetString(0)] = reader.GetString(1);
        }
        return applied;
    }

    // Plain NpgsqlCommand rather than Dapper: migration files may contain '@' or '?' that must
    // reach PostgreSQL untouched.
    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
