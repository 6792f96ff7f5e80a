using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace PxpActors.Host.Output;

/// <summary>
/// Running totals of some instruments of the <c>PxpActors</c> Meter, read by name through a <see cref="MeterListener"/>:
/// counters summed, up-down counters at their level. An instrument the library does not publish (yet) stays at 0.
/// </summary>
internal sealed class MeterTotals : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    public MeterTotals(string meterName, IReadOnlyCollection<string> instruments)
    {
        foreach (var name in instruments) _totals[name] = 0;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && _totals.ContainsKey(instrument.Name)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => Add(instrument.Name, value));
        _listener.Start();
    }

    public long this[string instrument] => _totals.GetValueOrDefault(instrument);

    private void Add(string instrument, long value) => _totals.AddOrUpdate(instrument, value, (_, total) => total + value);

    public void Dispose() => _listener.Dispose();
}
