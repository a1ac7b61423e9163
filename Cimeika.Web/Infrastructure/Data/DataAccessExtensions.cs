using Cimeika.Web.Infrastructure.Configuration;
using Dapper;
using Npgsql;

namespace Cimeika.Web.Infrastructure.Data;

public static class DataAccessExtensions
{
    public static IServiceCollection AddDataAccess(this IServiceCollection services, DatabaseSettings settings)
    {
        // Columns are snake_case, properties PascalCase.
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        // Named, so that pool metrics carry "cimeika" rather than the connection string.
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(settings.ConnectionString) { Name = "cimeika" }.Build());
        services.AddSingleton(MigrationScripts.Embedded());
        services.AddSingleton<Migrator>();
        services.AddSingleton<MigrationState>();
        services.AddHostedService<MigrationHostedService>();
        return services;
    }
}
