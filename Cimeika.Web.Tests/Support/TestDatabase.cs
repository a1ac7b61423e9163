using Npgsql;

namespace Cimeika.Web.Tests.Support;

/// <summary>
/// The PostgreSQL server the tests use (POSTGRES_HOST/PORT/USER/PASSWORD, as the test script
/// exports them) and throwaway databases created on it.
/// </summary>
public static class TestDatabase
{
    public static string Host => Environment.GetEnvironmentVariable("POSTGRES_HOST") ?? "127.0.0.1";
    public static int Port => int.Parse(Environment.GetEnvironmentVariable("POSTGRES_PORT") ?? "5432");
    public static string User => Environment.GetEnvironmentVariable("POSTGRES_USER") ?? "postgres";
    public static string Password => Environment.GetEnvironmentVariable("POSTGRES_PASSWORD") ?? "";

    public static string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = Host,
        Port = Port,
        Username = User,
        Password = Password,
        Database = database,
        Pooling = false,
    }.ConnectionString;

    /// <summary>Creates an empty database with a unique name and returns the name.</summary>
    public static async Task<string> CreateAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"create database \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    public static async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T?> ScalarAsync<T>(string database, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T));
    }

    public static async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
