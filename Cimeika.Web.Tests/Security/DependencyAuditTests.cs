using System.Diagnostics;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Security;

/// <summary>The verdicts of deploy/lib/audit.sh (used by deploy/test.sh) on the shapes of dotnet's answers.</summary>
public sealed class DependencyAuditTests
{
    private const string NuGet = "https://api.nuget.org/v3/index.json";

    private const string Header = "\nThe following sources were used:\n   https://api.nuget.org/v3/index.json\n\n";

    private static string Vulnerable(string severity, string transitiveSeverity = "Low") => Header + $"""
        Project `Cimeika.Web` has the following vulnerable packages
           [net10.0]: 
           Top-level Package      Requested   Resolved   Severity   Advisory URL
           > Newtonsoft.Json      12.0.1      12.0.1     {severity,-8}   https://github.com/advisories/GHSA-5crp-9r3c-p9vr

           Transitive Package               Resolved   Severity   Advisory URL
           > System.Net.Http                4.3.0      {transitiveSeverity,-8}   https://github.com/advisories/GHSA-7jgj-8wvc-jh57

        """;

    private const string Clean = Header + "The given project `Cimeika.Web` has no vulnerable packages given the current sources.\n";

    private static async Task<(int Code, string Output)> ReportAsync(int status, string output, string sourcesWithData, string sources = NuGet)
    {
        var script = Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "deploy", "lib", "audit.sh"));
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", "source \"$0\"; audit_report \"$@\"", script, status.ToString(), output, sourcesWithData, sources })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Verdict(string output) => output.Split('\n').Single(l => l.StartsWith("dependency audit:"));

    [TestCase("High", "Low")]
    [TestCase("Moderate", "Critical")]
    public async Task A_high_or_critical_vulnerability_fails_and_is_listed(string topLevel, string transitive)
    {
        var (code, output) = await ReportAsync(0, Vulnerable(topLevel, transitive), NuGet);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(Verdict(output), Is.EqualTo("dependency audit: FAILED - 1 package(s) with a High or Critical vulnerability (listed above)"));
        Assert.That(output, Does.Contain("> Newtonsoft.Json").And.Contain("> System.Net.Http"));
    }

    [Test]
    public async Task Low_and_moderate_vulnerabilities_are_listed_but_pass()
    {
        var (code, output) = await ReportAsync(0, Vulnerable("Moderate"), NuGet);

        Assert.That(code, Is.Zero);
        Assert.That(Verdict(output), Does.StartWith("dependency audit: passed - only Low or Moderate vulnerabilities"));
        Assert.That(output, Does.Contain("> Newtonsoft.Json"));
    }

    [Test]
    public async Task No_vulnerable_package_passes_when_a_source_publishes_vulnerability_data()
    {
        var (code, output) = await ReportAsync(0, Clean, NuGet);

        Assert.That(code, Is.Zero);
        Assert.That(Verdict(output), Is.EqualTo($"dependency audit: passed - no known vulnerable packages; data from {NuGet}"));
    }

    [Test]
    public async Task Without_vulnerability_data_the_audit_says_it_did_not_check_and_goes_on()
    {
        var (code, output) = await ReportAsync(0, Clean, sourcesWithData: "", sources: "/srv/feed");

        Assert.That(code, Is.Zero);
        Assert.That(Verdict(output), Does.StartWith("dependency audit: NOT CHECKED - no package source (/srv/feed) publishes vulnerability data"));
    }

    [Test]
    public async Task A_failed_listing_says_it_did_not_check_with_the_error_and_goes_on()
    {
        var (code, output) = await ReportAsync(1, "error: Unable to load the service index for source https://feed.example/v3/index.json.", "");

        Assert.That(code, Is.Zero);
        Assert.That(Verdict(output), Does.StartWith("dependency audit: NOT CHECKED - 'dotnet list package --vulnerable' failed (exit 1)"));
        Assert.That(output, Does.Contain("Unable to load the service index"));
    }
}
