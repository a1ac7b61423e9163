using System.Diagnostics;
using Cimeika.Web.Infrastructure.Data;
using Cimeika.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Infrastructure;

public sealed class MigratorTests
{
    private string _database = null!;
    private NpgsqlDataSource _dataSource = null!;

    [SetUp]
    public async Task CreateDatabaseAsync()
    {
        _database = await TestDatabase.CreateAsync("cimeika_migr");
        _dataSource = NpgsqlDataSource.Create(TestDatabase.ConnectionString(_database));
    }

    [TearDown]
    public async Task DropDatabaseAsync()
    {
        await _dataSource.DisposeAsync();
        await TestDatabase.DropAsync(_database);
    }

    private Migrator Create(MigrationScripts? scripts = null) =>
        new(_dataSource, scripts ?? MigrationScripts.Embedded(), NullLogger<Migrator>.Instance);

    private Task<long> JournalCountAsync() => TestDatabase.ScalarAsync<long>(_database, "select count(*) from schema_migrations");

    [Test]
    public void Embedded_scripts_are_the_numbered_files_of_the_migrations_folder_in_order()
    {
        var names = MigrationScripts.Embedded().All.Select(s => s.Name).ToList();
        var folder = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "migrations");
        var files = Directory.GetFiles(folder, "*.sql").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();

        Assert.That(names, Is.EqualTo(files));
        Assert.That(names, Is.All.Match(@"^\d{4}_[a-z0-9_]+\.sql$"));
    }

    [Test]
    public async Task Applies_every_file_once_and_rerunning_is_a_no_op()
    {
        var first = await Create().ApplyAsync(CancellationToken.None);
        var second = await Create().ApplyAsync(CancellationToken.None);

        Assert.That(first, Is.EqualTo(MigrationScripts.Embedded().All.Select(s => s.Name)));
        Assert.That(second, Is.Empty);
        Assert.That(await JournalCountAsync(), Is.EqualTo(first.Count));
        Assert.That(await Create().PendingAsync(CancellationToken.None), Is.Empty);
        Assert.That(await TestDatabase.ScalarAsync<long>(_database, "select count(*) from families"), Is.EqualTo(1));
    }

    [Test]
    public async Task Two_concurrent_runs_apply_each_file_exactly_once()
    {
        var runs = await Task.WhenAll(
            Task.Run(() => Create().ApplyAsync(CancellationToken.None)),
            Task.Run(() => Create().ApplyAsync(CancellationToken.None)),
            Task.Run(() => Create().ApplyAsync(CancellationToken.None)));

        var all = runs.SelectMany(r => r).ToList();
        Assert.That(all, Is.EquivalentTo(MigrationScripts.Embedded().All.Select(s => s.Name)), "each file applied by exactly one run");
        Assert.That(await JournalCountAsync(), Is.EqualTo(all.Count));
        Assert.That(await TestDatabase.ScalarAsync<long>(_database, "select count(*) from families"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_broken_file_fails_with_its_name_and_postgres_message_and_is_not_recorded()
    {
        var scripts = new MigrationScripts(
        [
            new MigrationScript("0001_good.sql", "create table good (id int)"),
            new MigrationScript("0002_broken.sql", "create table half (id int); select * from no_such_table"),
            new MigrationScript("0003_later.sql", "create table later (id int)"),
        ]);

        var error = Assert.ThrowsAsync<MigrationFailedException>(() => Create(scripts).ApplyAsync(CancellationToken.None));

        Assert.That(error!.Script, Is.EqualTo("0002_broken.sql"));
        Assert.That(error.Message, Does.Contain("0002_broken.sql").And.Contain("relation \"no_such_table\" does not exist"));
        Assert.That(await TestDatabase.ScalarAsync<string>(_database, "select string_agg(name, ',') from schema_migrations"), Is.EqualTo("0001_good.sql"));
        Assert.That(await TestDatabase.ScalarAsync<bool>(_database, "select to_regclass('half') is null"), Is.True, "the broken file's transaction rolled back");
        Assert.That(await TestDatabase.ScalarAsync<bool>(_database, "select to_regclass('later') is null"), Is.True, "later files do not run");
    }

    [Test]
    public async Task App_start_up_stops_on_a_broken_migration()
    {
        var broken = new MigrationScripts([new MigrationScript("0001_broken.sql", "this is not sql")]);
        await using var factory = new CimeikaFactory(_database,
            services: s => s.AddSingleton(broken));

        var error = Assert.Throws<MigrationFailedException>(() => factory.CreateClient());

        Assert.That(error!.Message, Does.Contain("0001_broken.sql").And.Contain("syntax error"));
    }

    [Test]
    public async Task Migrate_command_applies_migrations_and_exits()
    {
        var (code, output) = await RunAppAsync("migrate");
        var (againCode, againOutput) = await RunAppAsync("migrate");

        Assert.That(code, Is.Zero, output);
        Assert.That(output, Does.Contain("Applied").And.Contain("0001_families.sql"));
        Assert.That(againCode, Is.Zero, againOutput);
        Assert.That(againOutput, Does.Contain("up to date"));
        Assert.That(await JournalCountAsync(), Is.EqualTo(MigrationScripts.Embedded().All.Count));
    }

    [Test]
    public async Task Migrate_command_fails_clearly_when_the_database_is_unreachable()
    {
        var (code, output) = await RunAppAsync("migrate", port: 1);

        Assert.That(code, Is.Not.Zero);
        Assert.That(output, Does.Contain("Database unreachable"));
    }

    private async Task<(int Code, string Output)> RunAppAsync(string arguments, int? port = null)
    {
        var app = Path.Combine(TestContext.CurrentContext.TestDirectory, "Cimeika.Web.dll");
        var start = new ProcessStartInfo("dotnet", $"\"{app}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["POSTGRES_HOST"] = TestDatabase.Host;
        start.Environment["POSTGRES_PORT"] = (port ?? TestDatabase.Port).ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["POSTGRES_USER"] = TestDatabase.User;
        start.Environment["POSTGRES_PASSWORD"] = TestDatabase.Password;
        start.Environment["POSTGRES_DB"] = _database;
        start.Environment["ENVIRONMENT"] = "development";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
