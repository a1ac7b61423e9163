using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace Cimeika.Web.Infrastructure.Identity;

public sealed class ApiToken
{
    public long Id { get; init; }
    public long UserId { get; init; }
    public required string Name { get; init; }
    public required string DisplayHint { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? LastUsedAt { get; init; }
    public DateTime? RevokedAt { get; init; }
}

/// <summary>
/// Personal access tokens: <c>cim_</c> + 32 random bytes. Only a SHA-256 hash is stored, so a
/// leaked database does not leak usable tokens; the token is shown to its owner once.
/// </summary>
public sealed class TokenStore(NpgsqlDataSource dataSource, UserStore users)
{
    private const string Prefix = "cim_";

    /// <returns>The stored token and the secret value to show once.</returns>
    public async Task<(ApiToken Token, string Secret)> CreateAsync(long userId, string name, CancellationToken cancellationToken)
    {
        var secret = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var token = await connection.QuerySingleAsync<ApiToken>(new CommandDefinition(
            """
            insert into api_tokens (user_id, name, token_hash, display_hint)
            values (@userId, @name, @hash, @hint)
            returning id, user_id, name, display_hint, created_at, last_used_at, revoked_at
            """,
            new { userId, name = name.Trim(), hash = Hash(secret), hint = secret[..(Prefix.Length + 4)] + "…" },
            cancellationToken: cancellationToken));
        return (token, secret);
    }

    public async Task<IReadOnlyList<ApiToken>> ListAsync(long userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<ApiToken>(new CommandDefinition(
            """
            select id, user_id, name, display_hint, created_at, last_used_at, revoked_at
            from api_tokens where user_id = @userId order by revoked_at is not null, created_at desc
            """,
            new { userId }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task<bool> RevokeAsync(long userId, long tokenId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "update api_tokens set revoked_at = now() where id = @tokenId and user_id = @userId and revoked_at is null",
            new { userId, tokenId }, cancellationToken: cancellationToken)) == 1;
    }

    /// <returns>The token's user and the token id, or null for an unknown or revoked token.</returns>
    public async Task<(User User, long TokenId)?> AuthenticateAsync(string secret, CancellationToken cancellationToken)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 100) return null;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var found = await connection.QuerySingleOrDefaultAsync<TokenRow>(new CommandDefinition(
            """
            with token as (
                select id, user_id, last_used_at from api_tokens where token_hash = @hash and revoked_at is null
            ),
            -- "Last used" to the minute: a busy client does not turn every call into a write.
            touched as (
                update api_tokens set last_used_at = now()
                from token
                where api_tokens.id = token.id
                  and (token.last_used_at is null or token.last_used_at < now() - interval '1 minute')
            )
            select id, user_id from token
            """,
            new { hash = Hash(secret) }, cancellationToken: cancellationToken));
        if (found is null) return null;
        return await users.FindByIdAsync(found.UserId, cancellationToken) is { } user ? (user, found.Id) : null;
    }

    private sealed class TokenRow
    {
        public long Id { get; init; }
        public long UserId { get; init; }
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
