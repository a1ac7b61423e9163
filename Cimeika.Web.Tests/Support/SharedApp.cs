using NUnit.Framework;

using Cimeika.Web.Tests.Support;

// In the root test namespace so that the fixture covers every test.
namespace Cimeika.Web.Tests;

/// <summary>One database and one in-memory app for the whole run; each test resets the data it touches.</summary>
[SetUpFixture]
public sealed class SharedApp
{
    public static CimeikaFactory Factory { get; private set; } = null!;
    public static string Database => Factory.Database;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Factory = new CimeikaFactory(await TestDatabase.CreateAsync("cimeika_test"));
        // Starting the server applies the migrations.
        _ = Factory.Server;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Factory.DisposeAsync();
        await TestDatabase.DropAsync(Factory.Database);
    }
}

/// <summary>Base of tests on the shared app: every test starts with no module data and one family.</summary>
public abstract class AppTest
{
    protected static CimeikaFactory Factory => SharedApp.Factory;
    protected HttpClient Client { get; private set; } = null!;

    [SetUp]
    public async Task ResetAsync()
    {
        await TestDatabase.ExecuteAsync(SharedApp.Database,
            "truncate kazkar_stories restart identity; delete from families where id <> (select min(id) from families)");
        Client = Factory.CreateBrowserClient();
    }

    [TearDown]
    public void DisposeClient() => Client?.Dispose();
}
