using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;

namespace Cimeika.Web.Infrastructure.Identity;

public enum SignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
}

/// <summary>Users: creation, password checks with lockout, stamps, membership. All SQL parameterised.</summary>
public sealed class UserStore(NpgsqlDataSource dataSource, IPasswordHasher<User> hasher, TimeProvider time)
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private const string Columns = """
        id, family_id, email, display_name, password_hash, role, security_stamp, failed_attempts,
        locked_until, created_at, last_sign_in_at
        """;

    // Verified against when the e-mail is unknown, so both paths cost one hash.
    private readonly string _dummyHash = hasher.HashPassword(null!, "cimeika-timing-equaliser");

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists (select 1 from users)", cancellationToken: cancellationToken));
    }

    public async Task<User?> FindByIdAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"select {Columns} from users where id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"select {Columns} from users where lower(email) = lower(@email)", new { email = email.Trim() },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<User>> MembersAsync(long familyId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<User>(new CommandDefinition(
            $"select {Columns} from users where family_id = @familyId order by created_at, id", new { familyId },
            cancellationToken: cancellationToken))).ToList();
    }

    /// <returns>The new user, or null when the e-mail address is already taken.</returns>
    public async Task<User?> CreateAsync(long familyId, string email, string displayName, string password, string role,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await InsertAsync(connection, null, familyId, email, displayName, password, role, cancellationToken);
    }

    /// <summary>
    /// First run: names the instance's family and creates its owner, only while no user exists
    /// (two concurrent attempts cannot both succeed).
    /// </summary>
    /// <returns>The owner, or null when the instance already has users.</returns>
    public async Task<User?> CreateFirstOwnerAsync(string familyName, string email, string displayName, string password,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("lock table users in exclusive mode",
            transaction: transaction, cancellationToken: cancellationToken));
        if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition("select exists (select 1 from users)",
                transaction: transaction, cancellationToken: cancellationToken)))
        {
            return null;
        }
        // The first migration created the instance's family; stories written before accounts stay in it.
        var familyId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "update families set name = @familyName where id = (select min(id) from families) returning id",
            new { familyName }, transaction, cancellationToken: cancellationToken))
            ?? await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "insert into families (name) values (@familyName) returning id",
                new { familyName }, transaction, cancellationToken: cancellationToken));
        var owner = await InsertAsync(connection, transaction, familyId, email, displayName, password, Roles.Owner, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return owner;
    }

    /// <summary>Checks a password, counting failures: the fifth in a row locks the account for 15 minutes.</summary>
    public async Task<(SignInOutcome Outcome, User? User)> CheckPasswordAsync(string email, string password, CancellationToken cancellationToken)
    {
        var user = await FindByEmailAsync(email, cancellationToken);
        if (user is null)
        {
            hasher.VerifyHashedPassword(null!, _dummyHash, password);
            return (SignInOutcome.Failed, null);
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (user.LockedUntil > now)
        {
            return (SignInOutcome.LockedOut, user);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var locked = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                """
                update users set
                    failed_attempts = case when failed_attempts + 1 >= @max then 0 else failed_attempts + 1 end,
                    locked_until = case when failed_attempts + 1 >= @max then @until else locked_until end
                where id = @id
                returning locked_until is not null and locked_until > @now
                """,
                new { id = user.Id, max = MaxFailedAttempts, until = now + LockoutDuration, now },
                cancellationToken: cancellationToken));
            return (locked ? SignInOutcome.LockedOut : SignInOutcome.Failed, user);
        }

        var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? hasher.HashPassword(user, password) : null;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            update users set failed_attempts = 0, locked_until = null, last_sign_in_at = @now,
                password_hash = coalesce(@rehash, password_hash)
            where id = @id
            """,
            new { id = user.Id, now, rehash }, cancellationToken: cancellationToken));
        return (SignInOutcome.Succeeded, user);
    }

    /// <summary>Sets a new password and a new stamp: every other session ends.</summary>
    public async Task<User> ChangePasswordAsync(User user, string newPassword, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<User>(new CommandDefinition(
            $"update users set password_hash = @hash, security_stamp = @stamp where id = @id returning {Columns}",
            new { id = user.Id, hash = hasher.HashPassword(user, newPassword), stamp = NewStamp() },
            cancellationToken: cancellationToken));
    }

    /// <summary>A new stamp: every session issued before ends (sign out everywhere).</summary>
    public async Task<User> RotateStampAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<User>(new CommandDefinition(
            $"update users set security_stamp = @stamp where id = @userId returning {Columns}",
            new { userId, stamp = NewStamp() }, cancellationToken: cancellationToken));
    }

    /// <summary>Removes a member of the family (never the caller); their sessions and tokens end with them.</summary>
    public async Task<bool> RemoveAsync(long familyId, long userId, long callerId, CancellationToken cancellationToken)
    {
        if (userId == callerId) return false;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "delete from users where family_id = @familyId and id = @userId", new { familyId, userId },
            cancellationToken: cancellationToken)) == 1;
    }

    private async Task<User?> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long familyId, string email,
        string displayName, string password, string role, CancellationToken cancellationToken)
    {
        var hash = hasher.HashPassword(null!, password);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"""
            insert into users (family_id, email, display_name, password_hash, role, security_stamp)
            values (@familyId, @email, @displayName, @hash, @role, @stamp)
            on conflict (lower(email)) do nothing
            returning {Columns}
            """,
            new { familyId, email = email.Trim(), displayName = displayName.Trim(), hash, role, stamp = NewStamp() },
            transaction, cancellationToken: cancellationToken));
    }

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
