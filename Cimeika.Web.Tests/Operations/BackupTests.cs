using System.Diagnostics;
using Cimeika.Web.Tests.Support;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Operations;

/// <summary>deploy/backup.sh and deploy/restore.sh against the real server: a drill, run on every test run.</summary>
public sealed class BackupTests : AppTest
{
    private static string Script(string name) =>
        Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "deploy", name));

    [Test]
    public async Task Backup_then_restore_into_a_new_database_gives_the_same_data_and_old_backups_expire()
    {
        await TestDatabase.ExecuteAsync(SharedApp.Database,
            "insert into kazkar_stories (family_id, title, content, tags) values (1, 'Для резервної копії', 'Зміст', '{a,b}')");
        var directory = Directory.CreateTempSubdirectory("cimeika-backup-").FullName;
        var expired = Path.Combine(directory, $"cimeika-{SharedApp.Database}-20000101T000000Z.dump");
        var recent = Path.Combine(directory, $"cimeika-{SharedApp.Database}-20261101T000000Z.dump");
        await File.WriteAllTextAsync(expired, "old");
        await File.WriteAllTextAsync(recent, "recent");
        File.SetLastWriteTimeUtc(expired, DateTime.UtcNow.AddDays(-40));
        File.SetLastWriteTimeUtc(recent, DateTime.UtcNow.AddDays(-10));
        var restored = await TestDatabase.CreateAsync("cimeika_restored");
        try
        {
            var (backupCode, backupOut, backupErr) = await RunAsync("backup.sh", [], SharedApp.Database, directory);
            var dump = backupOut.Trim();
            var (restoreCode, restoreOut, restoreErr) = await RunAsync("restore.sh", [dump, restored], SharedApp.Database, directory);

            Assert.That(backupCode, Is.Zero, backupErr);
            Assert.That(File.Exists(dump), Is.True);
            Assert.That(File.Exists(expired), Is.False, "older than 30 days: deleted");
            Assert.That(File.Exists(recent), Is.True, "within 30 days: kept");
            Assert.That(restoreCode, Is.Zero, restoreErr + restoreOut);
            Assert.That(await TestDatabase.ScalarAsync<string>(restored, "select title || '|' || array_to_string(tags, ',') from kazkar_stories"),
                Is.EqualTo("Для резервної копії|a,b"));
            Assert.That(await TestDatabase.ScalarAsync<long>(restored, "select count(*) from schema_migrations"),
                Is.EqualTo(await TestDatabase.ScalarAsync<long>(SharedApp.Database, "select count(*) from schema_migrations")));
            Assert.That(await TestDatabase.ScalarAsync<long>(restored, "select count(*) from users"), Is.EqualTo(1));
        }
        finally
        {
            await TestDatabase.DropAsync(restored);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Backup_fails_loudly_when_the_database_is_unreachable()
    {
        var directory = Directory.CreateTempSubdirectory("cimeika-backup-").FullName;
        try
        {
            var (code, output, error) = await RunAsync("backup.sh", [], SharedApp.Database, directory, port: 1);

            Assert.That(code, Is.Not.Zero);
            Assert.That(output, Is.Empty, "no file name is printed");
            Assert.That(error, Does.Contain("connection").IgnoreCase);
            Assert.That(Directory.GetFiles(directory), Is.Empty, "no partial dump is left");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string script, string[] arguments, string database,
        string backupDirectory, int? port = null)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script(script));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["POSTGRES_HOST"] = TestDatabase.Host;
        start.Environment["POSTGRES_PORT"] = (port ?? TestDatabase.Port).ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["POSTGRES_USER"] = TestDatabase.User;
        start.Environment["POSTGRES_PASSWORD"] = TestDatabase.Password;
        start.Environment["POSTGRES_DB"] = database;
        start.Environment["BACKUP_DIR"] = backupDirectory;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}

/// <summary>The systemd units in deploy/systemd are valid unit files.</summary>
public sealed class DeploymentFilesTests
{
    [Test]
    public async Task Systemd_units_pass_systemd_analyze_verify()
    {
        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            Assert.Ignore("systemd-analyze is not installed on this machine");
        }
        var folder = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "deploy", "systemd"));
        var units = Directory.GetFiles(folder);
        var start = new ProcessStartInfo("/usr/bin/systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("verify");
        start.ArgumentList.Add("--man=no");
        foreach (var unit in units) start.ArgumentList.Add(unit);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.That(units, Has.Length.EqualTo(3));
        // Warnings about the machine (no 'cimeika' user, no dotnet at /usr/bin) are not unit-file errors.
        var problems = output.Split('\n').Where(l => l.Length > 0 && !l.Contains("Failed to resolve", StringComparison.Ordinal) &&
            !l.Contains("is not executable", StringComparison.Ordinal) && !l.Contains("No such file", StringComparison.Ordinal)).ToList();
        Assert.That(problems, Is.Empty, output);
    }
}
