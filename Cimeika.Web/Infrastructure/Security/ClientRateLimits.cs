using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Cimeika.Web.Infrastructure.Security;

/// <summary>
/// The budgets every request counts against: N per minute and M per hour for each client address. Each is
/// a token bucket of N (or M) tokens refilled evenly over its period, so a burst of N is allowed and the
/// sustained rate is N per minute. A bucket is full again soon after its client goes quiet, and the
/// built-in partitioned limiter drops a partition once its limiter has been idle for 10 s: memory follows
/// the number of recently active clients, however many addresses are ever seen.
/// </summary>
public sealed class ClientRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _perMinute;
    private readonly PartitionedRateLimiter<HttpContext> _perHour;

    public ClientRateLimits(int perMinute, int perHour)
    {
        PerMinute = perMinute;
        PerHour = perHour;
        _perMinute = PartitionedRateLimiter.Create<HttpContext, string>(c => Bucket(c, perMinute, TimeSpan.FromMinutes(1)));
        _perHour = PartitionedRateLimiter.Create<HttpContext, string>(c => Bucket(c, perHour, TimeSpan.FromHours(1)));
        // The minute first: a request it refuses does not use up the hour's budget.
        Limiter = PartitionedRateLimiter.CreateChained(_perMinute, _perHour);
    }

    public int PerMinute { get; }
    public int PerHour { get; }
    public PartitionedRateLimiter<HttpContext> Limiter { get; }

    /// <summary>The limit a refused request hit: the hour's when its budget is spent, else the minute's.</summary>
    public string ExceededLimit(HttpContext context) =>
        _perHour.GetStatistics(context) is { CurrentAvailablePermits: < 1 } ? $"{PerHour}/hour" : $"{PerMinute}/minute";

    /// <summary>Whether the limits apply: not on endpoints that disable them, nor on a re-executed error page.</summary>
    public static bool Applies(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is null && !context.IsReExecution();

    internal static RateLimitPartition<string> Bucket(HttpContext context, int permits, TimeSpan period) =>
        context.IsReExecution()
            ? RateLimitPartition.GetNoLimiter("")
            : RateLimitPartition.GetTokenBucketLimiter(ClientAddress.Key(context), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = permits,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = period / permits,
                QueueLimit = 0,
            });

    public void Dispose()
    {
        Limiter.Dispose();
        _perMinute.Dispose();
        _perHour.Dispose();
    }
}
