using System.Globalization;
using PxpActors.Actors;

namespace PxpActors.Host.Output;

/// <summary>
/// The one-line status a person reads: peers by transport, relays served, bytes in and out, requests and errors, from the
/// node's peer list and the <c>PxpActors</c> Meter.
/// </summary>
internal sealed class StatusLine : IDisposable
{
    /// <summary>The instruments the line reads (bytes appear once the library counts them).</summary>
    public static readonly string[] Instruments =
        ["pxp.bytes.received", "pxp.bytes.sent", "pxp.relays.open", "pxp.requests", "pxp.session.errors"];

    private readonly MeterTotals _totals = new(Diagnostics.PxpMetrics.MeterName, Instruments);

    public string Describe(IReadOnlyList<PeerInfo> peers)
    {
        var byTransport = peers.GroupBy(p => p.Transport).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} {g.Count()}");
        var transports = peers.Count == 0 ? "" : $" ({string.Join(", ", byTransport)})";
        return $"status: {peers.Count} peer(s){transports}, {_totals["pxp.relays.open"]} relay(s), " +
               $"{Bytes(_totals["pxp.bytes.received"])} in, {Bytes(_totals["pxp.bytes.sent"])} out, " +
               $"{_totals["pxp.requests"]} request(s), {_totals["pxp.session.errors"]} error(s)";
    }

    internal static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GiB"),
    };

    public void Dispose() => _totals.Dispose();
}
