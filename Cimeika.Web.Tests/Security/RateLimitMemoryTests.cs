using System.Diagnostics;
using System.Net;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Security;

/// <summary>
/// A measurement: 100,000 distinct clients behind a known proxy, one request each, through the real
/// pipeline in memory. Managed memory is reported after a full GC before, right after, and once the
/// idle clients' partitions have been dropped (docs/SECURITY.md records the figures).
/// </summary>
public sealed class RateLimitMemoryTests
{
    private const int Clients = 100_000;

    [Test]
    public async Task Memory_stays_bounded_with_100000_client_addresses_and_idle_clients_are_dropped()
    {
        await using var factory = new CimeikaFactory(SharedApp.Database, settings: new Dictionary<string, string?>
        {
            ["RATE_LIMIT_PER_MINUTE"] = "60",
            ["RATE_LIMIT_PER_HOUR"] = "1000",
        });
        using var client = factory.CreateClient();
        Assert.That((await SendAsync(client, 0)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var before = ManagedBytes();
        var clock = Stopwatch.StartNew();

        var next = 0;
        var refused = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) <= Clients)
            {
                using var response = await SendAsync(client, i);
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref refused);
            }
        }));
        var sentIn = clock.Elapsed;
        var loaded = ManagedBytes();

        // A client's buckets refill within 3.6 s and the limiter drops a partition idle for 10 s; then
        // memory is sampled until it stops falling.
        await Task.Delay(TimeSpan.FromSeconds(12));
        var after = ManagedBytes();
        for (var previous = loaded; previous - after > Mb && clock.Elapsed < sentIn + TimeSpan.FromSeconds(30);)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            previous = after;
            after = ManagedBytes();
        }

        TestContext.Out.WriteLine($"{Clients:N0} clients sent in {sentIn.TotalSeconds:F1} s; managed memory after full GC: "
            + $"before {before / Mb:F1} MB, after the requests {loaded / Mb:F1} MB (+{(loaded - before) / Mb:F1} MB, "
            + $"{(double)(loaded - before) / Clients:F0} bytes per client), once idle {after / Mb:F1} MB (+{(after - before) / Mb:F1} MB) "
            + $"at {clock.Elapsed.TotalSeconds:F1} s");
        Assert.That(refused, Is.Zero, "each client made one request");
        Assert.That(loaded - before, Is.LessThan(256 * Mb), "live partitions of 100,000 clients");
        // What remains is mostly the capacity of the partition dictionaries, which do not shrink.
        Assert.That(after - before, Is.LessThan(32 * Mb), "idle partitions are dropped");
    }

    private const double Mb = 1024 * 1024;

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, int i)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/modules/");
        request.Headers.Add(TestRemoteAddress.Header, "127.0.0.1");
        // Distinct /64 networks of the documentation prefix: one rate-limit key each.
        request.Headers.Add("X-Forwarded-For", $"2001:db8:{i >> 16:x}:{i & 0xffff:x}::1");
        return client.SendAsync(request);
    }

    private static long ManagedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
