using System.Globalization;

namespace Cimeika.Web.Infrastructure.Text;

/// <summary>Dates and times as a family member reads them: in the family's time zone and the chosen culture.</summary>
public static class Display
{
    // Per-family time zones arrive with the Calendar module; until then every family is in Kyiv.
    public static readonly TimeZoneInfo FamilyZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

    public static DateTime ToFamilyTime(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), FamilyZone);

    public static DateTime FromFamilyTime(DateTime local) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), FamilyZone);

    public static string Moment(DateTime utc) => ToFamilyTime(utc).ToString("g", CultureInfo.CurrentCulture);

    public static string LongDate(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    public static string Excerpt(string text, int maxLength)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= maxLength ? flat : flat[..maxLength].TrimEnd() + "…";
    }
}
