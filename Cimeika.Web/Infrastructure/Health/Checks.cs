using Cimeika.Web.Infrastructure.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Cimeika.Web.Infrastructure.Health;

/// <summary>The database answers a trivial query within the check's timeout.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select 1", connection) { CommandTimeout = 2 };
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL did not answer in time");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL unreachable: {e.Message}");
        }
    }
}

/// <summary>Every migration file shipped with this build is recorded as applied.</summary>
public sealed class MigrationsHealthCheck(Migrator migrator, MigrationState state) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        if (!state.Completed)
        {
            return HealthCheckResult.Unhealthy($"Migrations not applied: {state.LastError}");
        }
        try
        {
            var pending = await migrator.PendingAsync(cancellationToken);
            return pending.Count == 0
                ? HealthCheckResult.Healthy($"{migrator.Scripts.Count} migration(s) applied")
                : HealthCheckResult.Unhealthy($"Pending migrations: {string.Join(", ", pending)}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Migration journal could not be read in time");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy($"Migration journal unreadable: {e.Message}");
        }
    }
}

/// <summary>Turns unhealthy as soon as shutdown begins, so a load balancer stops sending traffic first.</summary>
public sealed class ShutdownState
{
    private volatile bool _stopping;

    public ShutdownState(IHostApplicationLifetime lifetime) =>
        lifetime.ApplicationStopping.Register(Begin);

    public bool Stopping => _stopping;

    public void Begin() => _stopping = true;
}

public sealed class ShutdownHealthCheck(ShutdownState shutdown) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(shutdown.Stopping
            ? HealthCheckResult.Unhealthy("Shutting down")
            : HealthCheckResult.Healthy("Accepting requests"));
}
