using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using PxpActors.Diagnostics;

namespace PxpActors.Tests.Support;

/// <summary>
/// Listens to the PxpActors Meter and sums what each instrument recorded, by the value of one tag (the Meter is the
/// process's: run tests that compare totals in a collection of their own, or under a tag value nothing else uses).
/// </summary>
public sealed class MeterTotals : IDisposable
{
    private readonly ConcurrentDictionary<(string Instrument, string? Tag), long> _totals = new();
    private readonly MeterListener _listener = new();

    public MeterTotals()
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PxpMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags) _totals.AddOrUpdate((instrument.Name, tag.Value as string), value, (_, sum) => sum + value);
        });
        _listener.Start();
    }

    /// <summary>What <paramref name="instrument"/> recorded with a tag of value <paramref name="tag"/>, in all.</summary>
    public long this[string instrument, string tag] => _totals.GetValueOrDefault((instrument, tag));

    public void Dispose() => _listener.Dispose();
}
