using Cimeika.Web.Modules.Nastrij;
using NUnit.Framework;

namespace Cimeika.Web.Tests.Modules.Nastrij;

public sealed class MoodStatsTests
{
    private static readonly DateTime Now = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);

    private static MoodEntry Entry(string mood, short intensity, double daysAgo) =>
        new() { Mood = mood, Intensity = intensity, FeltAt = Now.AddDays(-daysAgo) };

    [Test]
    public void Empty_period_has_no_averages_and_not_enough_data()
    {
        var stats = MoodStats.Compute([], 7, Now);

        Assert.That(stats.Count, Is.Zero);
        Assert.That(stats.AverageIntensity, Is.Null);
        Assert.That(stats.MostCommonMood, Is.Null);
        Assert.That(stats.Trend, Is.EqualTo("insufficient_data"));
        Assert.That(stats.Distribution.Values, Is.All.Zero);
        Assert.That(stats.Distribution.Keys, Is.EquivalentTo(Moods.All));
    }

    [Test]
    public void Averages_distribution_and_most_common_over_the_period_only()
    {
        MoodEntry[] entries =
        [
            Entry("happy", 8, 1), Entry("happy", 6, 2), Entry("sad", 4, 3), Entry("calm", 5, 6.5),
            Entry("angry", 10, 8), // outside 7 days
        ];

        var stats = MoodStats.Compute(entries, 7, Now);

        Assert.That(stats.Count, Is.EqualTo(4));
        Assert.That(stats.AverageIntensity, Is.EqualTo(5.8)); // (8+6+4+5)/4 = 5.75
        Assert.That(stats.MostCommonMood, Is.EqualTo("happy"));
        Assert.That(stats.Distribution["happy"], Is.EqualTo(2));
        Assert.That(stats.Distribution["angry"], Is.Zero);
    }

    [Test]
    public void Tie_for_most_common_goes_to_the_more_recent_mood() =>
        Assert.That(MoodStats.Compute([Entry("sad", 3, 5), Entry("calm", 3, 1)], 7, Now).MostCommonMood, Is.EqualTo("calm"));

    [Test]
    public void Score_is_intensity_signed_by_valence()
    {
        Assert.That(MoodStats.Score("happy", 7), Is.EqualTo(7));
        Assert.That(MoodStats.Score("neutral", 7), Is.Zero);
        Assert.That(MoodStats.Score("anxious", 7), Is.EqualTo(-7));
    }

    [Test]
    public void Trend_improves_declines_or_stays_by_the_halves_of_the_period()
    {
        MoodEntry[] improving = [Entry("sad", 6, 6), Entry("tired", 4, 5), Entry("happy", 5, 2), Entry("calm", 6, 1)];
        MoodEntry[] declining = [Entry("happy", 8, 6), Entry("happy", 7, 5), Entry("sad", 3, 2), Entry("neutral", 5, 1)];
        MoodEntry[] stable = [Entry("calm", 5, 6), Entry("happy", 5, 5), Entry("calm", 6, 2), Entry("happy", 5, 1)];
        MoodEntry[] thin = [Entry("sad", 6, 6), Entry("happy", 9, 2), Entry("happy", 9, 1)];

        Assert.That(MoodStats.Compute(improving, 7, Now).Trend, Is.EqualTo("improving"));
        Assert.That(MoodStats.Compute(declining, 7, Now).Trend, Is.EqualTo("declining"));
        Assert.That(MoodStats.Compute(stable, 7, Now).Trend, Is.EqualTo("stable"));
        Assert.That(MoodStats.Compute(thin, 7, Now).Trend, Is.EqualTo("insufficient_data"), "one entry in the first half");
    }

    [Test]
    public void Daily_averages_group_by_the_family_day()
    {
        // 22:30 UTC on the 27th is 00:30 on the 28th in Kyiv (UTC+2 in winter).
        MoodEntry[] entries =
        [
            new() { Mood = "happy", Intensity = 8, FeltAt = new DateTime(2026, 11, 27, 22, 30, 0, DateTimeKind.Utc) },
            new() { Mood = "sad", Intensity = 4, FeltAt = new DateTime(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc) },
            new() { Mood = "calm", Intensity = 6, FeltAt = new DateTime(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc) },
        ];

        var daily = MoodStats.Compute(entries, 7, Now).Daily;

        Assert.That(daily.Select(d => d.Day), Is.EqualTo(new[] { new DateOnly(2026, 11, 27), new DateOnly(2026, 11, 28) }));
        Assert.That(daily[1].Count, Is.EqualTo(2));
        Assert.That(daily[1].AverageScore, Is.EqualTo(2.0)); // (8 - 4) / 2
        Assert.That(daily[0].AverageScore, Is.EqualTo(6.0));
    }
}
