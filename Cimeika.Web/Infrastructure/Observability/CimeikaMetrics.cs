using System.Diagnostics.Metrics;

namespace Cimeika.Web.Infrastructure.Observability;

/// <summary>The app's own meter: what the family does, as counters Prometheus can rate.</summary>
public sealed class CimeikaMetrics
{
    public const string MeterName = "Cimeika";

    private readonly Counter<long> _entriesCreated;

    public CimeikaMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(MeterName, AppInfo.Version);
        _entriesCreated = Meter.CreateCounter<long>("cimeika.entries.created", "{entry}",
            "Entries created, by module and by how (form, api, import)");
    }

    /// <summary>For other parts of the app that publish instruments of their own (health gauges).</summary>
    public Meter Meter { get; }

    public void EntryCreated(string module, string via) =>
        _entriesCreated.Add(1, new KeyValuePair<string, object?>("module", module), new KeyValuePair<string, object?>("via", via));
}
