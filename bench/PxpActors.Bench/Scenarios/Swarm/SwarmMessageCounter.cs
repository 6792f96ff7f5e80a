using System.Diagnostics.Metrics;
using PxpActors.Diagnostics;

namespace PxpActors.Bench.Scenarios.Swarm;

/// <summary>
/// Counts the requests the nodes of this process receive, by command, from the PxpActors Meter's <c>pxp.requests</c>
/// (direction "in": each request a node sends is received once).
/// </summary>
public sealed class SwarmMessageCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _getPeers, _relay, _upgrade;

    public SwarmMessageCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PxpMetrics.MeterName && instrument.Name == "pxp.requests") listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>What was counted since the last take, and starts again from zero.</summary>
    public SwarmMessages Take() => new(Interlocked.Exchange(ref _getPeers, 0), Interlocked.Exchange(ref _relay, 0), Interlocked.Exchange(ref _upgrade, 0));

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? command = null, direction = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "command") command = tag.Value as string;
            else if (tag.Key == "direction") direction = tag.Value as string;
        }
        if (direction != "in") return;
        switch (command)
        {
            case "getpeers":
                Interlocked.Add(ref _getPeers, value);
                break;
            case "relay":
                Interlocked.Add(ref _relay, value);
                break;
            case "upgrade":
                Interlocked.Add(ref _upgrade, value);
                break;
        }
    }
}
