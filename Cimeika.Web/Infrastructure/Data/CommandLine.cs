using Npgsql;

namespace Cimeika.Web.Infrastructure.Data;

/// <summary>Commands run instead of the web server: <c>dotnet Cimeika.Web.dll migrate</c>.</summary>
public static class CommandLine
{
    public static async Task<int> MigrateAsync(IServiceProvider services)
    {
        var migrator = services.GetRequiredService<Migrator>();
        try
        {
            var applied = await migrator.ApplyAsync(CancellationToken.None);
            Console.WriteLine(applied.Count == 0
                ? "Database schema is up to date; nothing to apply."
                : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
            return 0;
        }
        catch (MigrationFailedException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await Console.Error.WriteLineAsync($"Database unreachable: {e.Message}");
            return 3;
        }
    }
}
