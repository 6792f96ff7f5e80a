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

    /// <summary>From a session's start to its peer's hello.</summary>
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

    /// <summary>How long getNewPeer calls took.</summary>
    internal static readonly Histogram<double> GetNewPeerDuration =
        Meter.CreateHistogram<double>("pxp.getnewpeer.duration", "s", "How long getNewPeer took");

    /// <summary>
    /// Bytes read from session transports, by <c>transport</c> (tcp, relay, stream, webrtc, …): a relayed session's bytes
    /// count under relay and again under the transport of the session that carries them.
    /// </summary>
    internal static readonly Counter<long> BytesReceived =
        Meter.CreateCounter<long>("pxp.bytes.received", "By", "Bytes read from PXP sessions' transports, by transport");

    /// <summary>Bytes written to session transports, by <c>transport</c>, as <see cref="BytesReceived"/>.</summary>
    internal static readonly Counter<long> BytesSent =
        Meter.CreateCounter<long>("pxp.bytes.sent", "By", "Bytes written to PXP sessions' transports, by transport");

    /// <summary>Bytes relayed through this node as the hub, by <c>direction</c> (to-candidate, to-asker).</summary>
    internal static readonly Counter<long> RelayBytes =
        Meter.CreateCounter<long>("pxp.relay.bytes", "By", "Bytes relayed through this node as the hub, by direction");

    internal static string Direction(bool incoming) => incoming ? "incoming" : "outgoing";

    // Real durations (handshakes, getNewPeer calls), so on the wall clock, never on the node's TimeProvider: a virtual clock
    // would report how far a test moved time, not how long the work took.
    internal static double SecondsSince(long timestamp) => Stopwatch.GetElapsedTime(timestamp).TotalSeconds;
}
