using NUnit.Framework;

using Cimeika.Web.Infrastructure.Identity;
using Cimeika.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

// In the root test namespace so that the fixture covers every test.
namespace Cimeika.Web.Tests;

/// <summary>One database and one in-memory app for the whole run; each test resets the data it touches.</summary>
[SetUpFixture]
public sealed class SharedApp
{
    public const string OwnerEmail = "owner@cimeika.test";
    public const string OwnerPassword = "Vyshyvanka-2026!";

    public static CimeikaFactory Factory { get; private set; } = null!;
    public static string Database => Factory.Database;
    public static User Owner { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        Factory = new CimeikaFactory(await TestDatabase.CreateAsync("cimeika_test"));
        // Starting the server applies the migrations.
        _ = Factory.Server;
        Owner = (await Factory.Services.GetRequiredService<UserStore>()
            .CreateFirstOwnerAsync("Тестова родина", OwnerEmail, "Оксана", OwnerPassword, CancellationToken.None))!;
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await Factory.DisposeAsync();
        await TestDatabase.DropAsync(Factory.Database);
    }
}

/// <summary>
/// Base of tests on the shared app: every test starts with no module data, one family whose only
/// member is the owner, and a client signed in as that owner (override <see cref="SignedIn"/>).
/// </summary>
public abstract class AppTest
{
    protected static CimeikaFactory Factory => SharedApp.Factory;
    protected HttpClient Client { get; private set; } = null!;

    protected virtual bool SignedIn => true;

    [SetUp]
    public async Task ResetAsync()
    {
        await TestDatabase.ExecuteAsync(SharedApp.Database, $"""
            truncate kazkar_stories, nastrij_entries restart identity;
            delete from users where id <> {SharedApp.Owner.Id};
            delete from api_tokens;
            delete from families where id <> (select min(id) from families);
            update users set failed_attempts = 0, locked_until = null;
            """);
        Client = Factory.CreateBrowserClient();
        if (SignedIn)
        {
            await Client.SignInAsync(SharedApp.OwnerEmail, SharedApp.OwnerPassword);
        }
    }

    [TearDown]
    public void DisposeClient() => Client?.Dispose();
}
