using System.Net;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Service;

public sealed class HealthTests : AppTest
{
    [Test]
    public async Task Health_answers_ok_json()
    {
        var response = await Client.GetAsync("/health");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That((string?)(await response.JsonAsync())["status"], Is.EqualTo("ok"));
    }

    [Test]
    public async Task Ready_reports_ready_with_database_and_migration_checks()
    {
        var response = await Client.GetAsync("/ready");
        var body = await response.JsonAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((string?)body["status"], Is.EqualTo("ready"));
        Assert.That((string?)body["checks"]!["database"]!["status"], Is.EqualTo("healthy"));
        Assert.That((string?)body["checks"]!["migrations"]!["status"], Is.EqualTo("healthy"));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
    }

    [Test]
    public async Task Ready_is_not_ready_when_a_migration_is_missing_from_the_journal()
    {
        var latest = await TestDatabase.ScalarAsync<string>(SharedApp.Database, "select max(name) from schema_migrations");
        await TestDatabase.ExecuteAsync(SharedApp.Database, $"delete from schema_migrations where name = '{latest}'");
        try
        {
            var response = await Client.GetAsync("/ready");
            var body = await response.JsonAsync();

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That((string?)body["status"], Is.EqualTo("not_ready"));
            Assert.That((string?)body["checks"]!["migrations"]!["status"], Is.EqualTo("unhealthy"));
            Assert.That((string?)body["checks"]!["migrations"]!["description"], Does.Contain(latest));
            Assert.That((string?)body["checks"]!["database"]!["status"], Is.EqualTo("healthy"));
        }
        finally
        {
            var checksum = await TestDatabase.ScalarAsync<string>(SharedApp.Database, "select min(checksum) from schema_migrations");
            await TestDatabase.ExecuteAsync(SharedApp.Database,
                $"insert into schema_migrations (name, checksum) values ('{latest}', '{checksum}')");
        }
    }

    [Test]
    public async Task Health_and_ready_answer_quickly_and_repeatedly()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.That((await Client.GetAsync("/health")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await Client.GetAsync("/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }
}

/// <summary>Start-up without a database, and recovery when it appears: through a TCP proxy the test switches on.</summary>
public sealed class DatabaseOutageTests
{
    [Test]
    public async Task App_starts_without_database_then_becomes_ready_when_it_appears()
    {
        var database = await TestDatabase.CreateAsync("cimeika_outage");
        await using var proxy = new TcpProxy(TestDatabase.Host, TestDatabase.Port);
        await using var factory = new CimeikaFactory(database, settings: new Dictionary<string, string?>
        {
            ["POSTGRES_HOST"] = "127.0.0.1",
            ["POSTGRES_PORT"] = proxy.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        try
        {
            using var client = factory.CreateClient();

            var health = await client.GetAsync("/health");
            var notReady = await client.GetAsync("/ready");
            var notReadyBody = await notReady.JsonAsync();

            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(notReady.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That((string?)notReadyBody["status"], Is.EqualTo("not_ready"));
            Assert.That((string?)notReadyBody["checks"]!["database"]!["status"], Is.EqualTo("unhealthy"));
            Assert.That((string?)notReadyBody["checks"]!["migrations"]!["description"], Does.Contain("unreachable"));

            proxy.Accepting = true;
            var deadline = DateTime.UtcNow.AddSeconds(45);
            HttpResponseMessage ready;
            do
            {
                await Task.Delay(500);
                ready = await client.GetAsync("/ready");
            }
            while (ready.StatusCode != HttpStatusCode.OK && DateTime.UtcNow < deadline);

            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ready.Content.ReadAsStringAsync());
            Assert.That(await TestDatabase.ScalarAsync<long>(database, "select count(*) from schema_migrations"), Is.GreaterThan(0));
        }
        finally
        {
            await factory.DisposeAsync();
            await TestDatabase.DropAsync(database);
        }
    }
}
