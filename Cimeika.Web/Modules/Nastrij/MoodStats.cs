using Cimeika.Web.Infrastructure.Text;

namespace Cimeika.Web.Modules.Nastrij;

public sealed record DailyMood(DateOnly Day, int Count, double AverageScore, double AverageIntensity);

/// <summary>
/// Statistics over a period. An entry's well-being score is its intensity signed by its mood's
/// valence (pleasant +, unpleasant −, neutral 0), from −10 to 10. The trend compares the mean
/// score of the period's second half with its first: a change of at least
/// <see cref="TrendThreshold"/> points is improving or declining, less is stable; with fewer
/// than two entries in either half there is not enough data.
/// </summary>
public sealed record MoodStats(
    int Days,
    int Count,
    double? AverageIntensity,
    string? MostCommonMood,
    IReadOnlyDictionary<string, int> Distribution,
    string Trend,
    IReadOnlyList<DailyMood> Daily)
{
    public const double TrendThreshold = 1.5;
    public static readonly IReadOnlyList<int> Periods = [7, 30, 90];

    public static class Trends
    {
        public const string Improving = "improving";
        public const string Stable = "stable";
        public const string Declining = "declining";
        public const string InsufficientData = "insufficient_data";
    }

    public static int Score(string mood, int intensity) => Moods.Valence(mood) * intensity;

    /// <param name="entries">The author's entries felt within the period.</param>
    /// <param name="now">The end of the period (UTC).</param>
    public static MoodStats Compute(IReadOnlyCollection<MoodEntry> entries, int days, DateTime now)
    {
        var from = now.AddDays(-days);
        var inPeriod = entries.Where(e => e.FeltAt > from && e.FeltAt <= now).ToList();
        var distribution = Moods.All.ToDictionary(m => m, m => inPeriod.Count(e => e.Mood == m));
        var mostCommon = inPeriod.Count == 0
            ? null
            : inPeriod.GroupBy(e => e.Mood)
                .OrderByDescending(g => g.Count())
                .ThenByDescending(g => g.Max(e => e.FeltAt))
                .First().Key;

        var middle = from.AddDays(days / 2.0);
        var first = inPeriod.Where(e => e.FeltAt <= middle).Select(e => Score(e.Mood, e.Intensity)).ToList();
        var second = inPeriod.Where(e => e.FeltAt > middle).Select(e => Score(e.Mood, e.Intensity)).ToList();
        var trend = first.Count < 2 || second.Count < 2
            ? Trends.InsufficientData
            : (second.Average() - first.Average()) switch
            {
                >= TrendThreshold => Trends.Improving,
                <= -TrendThreshold => Trends.Declining,
                _ => Trends.Stable,
            };

        var daily = inPeriod
            .GroupBy(e => DateOnly.FromDateTime(Display.ToFamilyTime(e.FeltAt)))
            .OrderBy(g => g.Key)
            .Select(g => new DailyMood(g.Key, g.Count(),
                Math.Round(g.Average(e => (double)Score(e.Mood, e.Intensity)), 1),
                Math.Round(g.Average(e => (double)e.Intensity), 1)))
            .ToList();

        return new MoodStats(days, inPeriod.Count,
            inPeriod.Count == 0 ? null : Math.Round(inPeriod.Average(e => (double)e.Intensity), 1),
            mostCommon, distribution, trend, daily);
    }
}
