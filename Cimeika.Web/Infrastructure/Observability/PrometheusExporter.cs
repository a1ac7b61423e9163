using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Cimeika.Web.Infrastructure.Observability;

/// <summary>
/// Listens to the app's <see cref="System.Diagnostics.Metrics"/> meters and writes their current
/// values in the Prometheus text format (0.0.4). Names follow the OpenTelemetry-to-Prometheus
/// convention: dots become underscores, the unit is appended (s: _seconds, By: _bytes), counters end
/// in _total; gauges whose name ends in _count get _current appended, since Prometheus reserves that
/// suffix for histograms.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    /// <summary>The meters exported. Instruments of meters not yet created (rate limiting) appear once they are.</summary>
    public static readonly IReadOnlySet<string> MeterNames = new HashSet<string>
    {
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Npgsql",
        "System.Runtime",
        CimeikaMetrics.MeterName,
    };

    // The OpenTelemetry default, for histograms that advise no boundaries of their own.
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> _series = new();
    private readonly IMeterFactory _meterFactory;
    private readonly Lock _scrape = new();

    public PrometheusExporter(IMeterFactory meterFactory)
    {
        _meterFactory = meterFactory;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Static meters (Npgsql, System.Runtime) are process-wide; meters made by a meter factory
            // belong to one app, and a test process may host several apps.
            if (MeterNames.Contains(instrument.Meter.Name)
                && (instrument.Meter.Scope is null || ReferenceEquals(instrument.Meter.Scope, _meterFactory)))
            {
                _series[instrument] = Series.For(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _series.TryRemove(instrument, out Series? _);
        _listener.SetMeasurementEventCallback<byte>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<short>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<decimal>((i, v, tags, _) => Record(i, (double)v, tags));
        _listener.Start();
    }

    public string Scrape()
    {
        lock (_scrape)
        {
            foreach (var series in _series.Values.Where(s => s.Observable))
            {
                series.Clear();
            }
            _listener.RecordObservableInstruments();

            var text = new StringBuilder();
            var written = new HashSet<string>(StringComparer.Ordinal);
            foreach (var series in _series.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                // Two instruments mapping onto one name would make the output invalid: first one wins.
                if (written.Add(series.Name))
                {
                    series.Write(text);
                }
            }
            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var series))
        {
            series.Record(value, Labels(tags));
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }
        var pairs = new List<KeyValuePair<string, string>>(tags.Length);
        foreach (var (key, value) in tags)
        {
            pairs.Add(new(Sanitize(key), Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
        }
        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return string.Join(",", pairs.Select(p => $"{p.Key}=\"{EscapeLabel(p.Value)}\""));
    }

    private static string Sanitize(string name)
    {
        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? char.ToLowerInvariant(c) : '_').ToArray();
        var result = new string(chars);
        if (result.Length == 0) return "_";
        return char.IsAsciiDigit(result[0]) ? "_" + result : result;
    }

    private static string EscapeLabel(string value) =>
        value.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");

    private static string EscapeHelp(string value) => value.Replace("\\", @"\\").Replace("\n", @"\n");

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private enum Kind { Counter, Gauge, Histogram }

    /// <summary>The values of one instrument, by label set.</summary>
    private sealed class Series
    {
        private readonly ConcurrentDictionary<string, double> _values = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, BucketCounts> _histograms = new(StringComparer.Ordinal);
        private readonly double _scale;
        private readonly double[] _buckets;

        private Series(Instrument instrument, Kind kind, string name, double scale, double[] buckets)
        {
            Kind = kind;
            Name = name;
            Help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
            Observable = instrument.IsObservable;
            Cumulative = instrument.IsObservable || instrument.GetType().Name.StartsWith("Gauge", StringComparison.Ordinal);
            _scale = scale;
            _buckets = buckets;
        }

        public Kind Kind { get; }
        public string Name { get; }
        public string Help { get; }
        public bool Observable { get; }

        /// <summary>Measurements are totals or current values, not increments.</summary>
        private bool Cumulative { get; }

        public static Series For(Instrument instrument)
        {
            var typeName = instrument.GetType().Name;
            var kind = typeName.StartsWith("Histogram", StringComparison.Ordinal) ? Kind.Histogram
                : typeName.StartsWith("Counter", StringComparison.Ordinal) || typeName.StartsWith("ObservableCounter", StringComparison.Ordinal) ? Kind.Counter
                : Kind.Gauge;
            var (unit, scale) = Unit(instrument.Unit, kind);
            var name = Sanitize(instrument.Name);
            if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
            {
                name += "_" + unit;
            }
            name = kind switch
            {
                Kind.Counter => name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total",
                Kind.Gauge when name.EndsWith("_count", StringComparison.Ordinal) => name + "_current",
                _ => name,
            };
            var buckets = kind == Kind.Histogram ? Buckets(instrument, scale) : [];
            return new Series(instrument, kind, name, scale, buckets);
        }

        public void Clear() => _values.Clear();

        public void Record(double value, string labels)
        {
            value *= _scale;
            switch (Kind)
            {
                case Kind.Histogram:
                    _histograms.GetOrAdd(labels, _ => new BucketCounts(_buckets)).Record(value);
                    break;
                case var _ when Cumulative:
                    _values[labels] = value;
                    break;
                default:
                    _values.AddOrUpdate(labels, value, (_, total) => total + value);
                    break;
            }
        }

        public void Write(StringBuilder text)
        {
            if (_values.IsEmpty && _histograms.IsEmpty)
            {
                return;
            }
            text.Append("# HELP ").Append(Name).Append(' ').Append(EscapeHelp(Help)).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(Kind.ToString().ToLowerInvariant()).Append('\n');
            foreach (var (labels, value) in _values.OrderBy(v => v.Key, StringComparer.Ordinal))
            {
                text.Append(Name).Append(Braces(labels)).Append(' ').Append(Number(value)).Append('\n');
            }
            foreach (var (labels, histogram) in _histograms.OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                histogram.Write(text, Name, labels);
            }
        }

        private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

        private static (string Unit, double Scale) Unit(string? unit, Kind kind) => unit switch
        {
            null or "" => ("", 1),
            "s" => ("seconds", 1),
            "ms" => ("seconds", 0.001),
            "us" => ("seconds", 0.000001),
            "By" => ("bytes", 1),
            "1" when kind == Kind.Gauge => ("ratio", 1),
            "%" => ("percent", 1),
            // Annotations such as {request} name what is counted, not a unit.
            _ when unit.StartsWith('{') || unit == "1" => ("", 1),
            _ => (Sanitize(unit), 1),
        };

        private static double[] Buckets(Instrument instrument, double scale)
        {
            var advised = instrument switch
            {
                Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.Select(b => b).ToArray(),
                Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
                Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
                Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray(),
                _ => null,
            };
            return (advised ?? DefaultBuckets).Select(b => b * scale).ToArray();
        }
    }

    /// <summary>Cumulative bucket counts, sum and count of one label set.</summary>
    private sealed class BucketCounts(double[] bounds)
    {
        private readonly Lock _lock = new();
        private readonly long[] _counts = new long[bounds.Length + 1];
        private double _sum;
        private long _count;

        public void Record(double value)
        {
            var index = Array.BinarySearch(bounds, value);
            // Buckets are "less than or equal": an exact bound belongs to its own bucket.
            index = index >= 0 ? index : ~index;
            lock (_lock)
            {
                _counts[index]++;
                _sum += value;
                _count++;
            }
        }

        public void Write(StringBuilder text, string name, string labels)
        {
            long[] counts;
            double sum;
            long count;
            lock (_lock)
            {
                counts = (long[])_counts.Clone();
                sum = _sum;
                count = _count;
            }
            var prefix = labels.Length == 0 ? "" : labels + ",";
            long cumulative = 0;
            for (var i = 0; i < bounds.Length; i++)
            {
                cumulative += counts[i];
                text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(Number(bounds[i])).Append("\"} ")
                    .Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ")
                .Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            var braces = labels.Length == 0 ? "" : "{" + labels + "}";
            text.Append(name).Append("_sum").Append(braces).Append(' ').Append(Number(sum)).Append('\n');
            text.Append(name).Append("_count").Append(braces).Append(' ').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
