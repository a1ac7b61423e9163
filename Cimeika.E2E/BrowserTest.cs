using Microsoft.Playwright;
using NUnit.Framework;

namespace Cimeika.E2E;

/// <summary>
/// A fresh browser context and page per test, collecting console errors and uncaught exceptions;
/// a screenshot of the last page is kept as a test artifact whatever the outcome.
/// </summary>
public abstract class BrowserTest
{
    protected IBrowserContext Context { get; private set; } = null!;
    protected IPage Page { get; private set; } = null!;
    protected List<string> ConsoleErrors { get; } = [];

    protected virtual bool JavaScriptEnabled => true;

    /// <summary>Contexts start signed in as the owner unless a test class says otherwise.</summary>
    protected virtual bool SignedIn => true;

    /// <summary>Whose cookies the context starts with: the owner's unless a test class says otherwise.</summary>
    protected virtual string? StorageState => SignedIn ? AppUnderTest.OwnerState : null;

    [SetUp]
    public async Task OpenPageAsync()
    {
        ConsoleErrors.Clear();
        var options = AppUnderTest.ContextOptions(StorageState);
        options.JavaScriptEnabled = JavaScriptEnabled;
        Context = await AppUnderTest.Browser.NewContextAsync(options);
        Context.SetDefaultTimeout(10_000);
        Page = await Context.NewPageAsync();
        Page.Console += (_, message) =>
        {
            if (message.Type == "error") ConsoleErrors.Add(message.Text);
        };
        Page.PageError += (_, error) => ConsoleErrors.Add(error);
        await AppUnderTest.ExecuteAsync("truncate kazkar_stories, nastrij_entries restart identity");
    }

    [TearDown]
    public async Task ClosePageAsync()
    {
        var test = TestContext.CurrentContext.Test;
        var directory = Path.Combine(AppUnderTest.ArtifactsDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{test.ClassName?.Split('.').Last()}.{test.MethodName}.png");
        try
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
            TestContext.AddTestAttachment(path);
        }
        catch (PlaywrightException)
        {
            // The page is gone; there is nothing to photograph.
        }
        await Context.CloseAsync();
    }

    protected Task<string> ComputedAsync(string selector, string property) =>
        Page.EvalOnSelectorAsync<string>(selector, $"e => getComputedStyle(e).{property}");
}
