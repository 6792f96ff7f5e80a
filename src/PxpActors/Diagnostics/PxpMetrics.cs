using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PxpActors.Diagnostics;

/// <summary>
/// The <c>PxpActors</c> Meter: what dotnet-counters and OpenTelemetry read with no code of ours
/// (<c>dotnet-counters monitor --counters PxpActors</c>, or <c>AddMeter("PxpActors")</c>). One Meter for the process,
/// as .NET libraries do: every exchange adds to the same instruments.
/// </summary>
public static class PxpMetrics
{
    /// <summary>The Meter's name.</summary>
    public const string MeterName = "PxpActors";

    private static readonly Meter Meter = new(MeterName, typeof(PxpMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Sessions whose handshake finished and that are still open, by <c>transport</c> and <c>direction</c>.</summary>
    internal static readonly UpDownCounter<long> Sessions =
        Meter.CreateUpDownCounter<long>("pxp.sessions", "{session}", "PXP sessions open (handshake finished)");

    /// <summary>Handshakes ended, by <c>outcome</c> (ok, failed).</summary>
    internal static readonly Counter<long> Handshakes =
        Meter.CreateCounter<long>("pxp.handshakes", "{handshake}", "PXP handshakes, by outcome");

    internal static readonly Histogram<double> HandshakeDuration =
        Meter.CreateHistogram<double>("pxp.handshake.duration", "s", "From a session's start to its peer's hello");

    /// <summary>RPC requests, by <c>command</c>, <c>direction</c> (in: from the peer; out: ours) and, for ours, <c>outcome</c>.</summary>
    internal static readonly Counter<long> Requests =
        Meter.CreateCounter<long>("pxp.requests", "{request}", "PXP requests, by command, direction and outcome");

    /// <summary>Relays this node serves as the hub.</summary>
    internal static readonly UpDownCounter<long> RelaysOpen =
        Meter.CreateUpDownCounter<long>("pxp.relays.open", "{relay}", "Relays served through this node");

    /// <summary>Sessions ended by an error, by <c>kind</c> (the exception's type).</summary>
    internal static readonly Counter<long> SessionErrors =
        Meter.CreateCounter<long>("pxp.session.errors", "{error}", "PXP sessions ended by a protocol or transport error");

    /// <summary>Claims the node's resource budget refused, by <c>limit</c> (pxp.limits).</summary>
    internal static readonly Counter<long> Refusals =
        Meter.CreateCounter<long>("pxp.refusals", "{refusal}", "Claims refused by the node's resource budget");

    /// <summary>getNewPeer calls, by <c>outcome</c> (ok, failed).</summary>
    internal static readonly Counter<long> GetNewPeer =
        Meter.CreateCounter<long>("pxp.getnewpeer", "{call}", "getNewPeer calls, by outcome");

    internal static readonly Histogram<double> GetNewPeerDuration =
        Meter.CreateHistogram<double>("pxp.getnewpeer.duration", "s", "How long getNewPeer took");

    internal static string Direction(bool incoming) => incoming ? "incoming" : "outgoing";

    internal static double SecondsSince(long timestamp) => Stopwatch.GetElapsedTime(timestamp).TotalSeconds;
}
