using Akka.Configuration;

namespace PxpActors.Resources;

/// <summary>
/// What one node gives its peers at most, node-wide and per peer (<c>pxp.limits</c> in hocon/reference.conf). Past a
/// limit the newest claimant is refused with a clear error, that connection or request only; every other session
/// carries on. The defaults never bind a conforming peer.
/// </summary>
/// <param name="MaxConnections">Sessions over a transport (not relayed), incoming and outgoing; see <see cref="ConnectionCap"/>.</param>
/// <param name="OpenFilesReserve">Descriptors kept for the rest of the process when connections are fitted under its open-file limit.</param>
/// <param name="MaxConnectionsPerAddress">Incoming connections from one remote IP address; 0 = no limit.</param>
/// <param name="ExemptLoopback">Loopback addresses are not held to <paramref name="MaxConnectionsPerAddress"/>.</param>
/// <param name="MaxPendingHandshakes">Sessions that have not finished their handshake.</param>
/// <param name="MaxRelayedSessions">Sessions carried over relay substreams.</param>
/// <param name="MaxIncomingRelaysPerPeer">Relayed sessions one peer may carry to us at once.</param>
/// <param name="MaxRelays">Relays through this node, as the hub, at once.</param>
/// <param name="MaxSubstreams">Substreams open across all sessions.</param>
/// <param name="NodeBufferBytes">Received bytes held for readers across all sessions.</param>
/// <param name="MaxPendingUpgrades">WebRTC upgrades in progress at once, as initiator and responder together.</param>
public sealed record ResourceLimits(
    int MaxConnections = 16384,
    int OpenFilesReserve = 256,
    int MaxConnectionsPerAddress = 64,
    bool ExemptLoopback = true,
    int MaxPendingHandshakes = 1024,
    int MaxRelayedSessions = 4096,
    int MaxIncomingRelaysPerPeer = 16,
    int MaxRelays = 4096,
    int MaxSubstreams = 65536,
    long NodeBufferBytes = 512L * 1024 * 1024,
    int MaxPendingUpgrades = 256)
{
    /// <summary>The defaults of reference.conf's <c>pxp.limits</c>.</summary>
    public static ResourceLimits Default { get; } = new();

    /// <summary>Reads the <c>limits</c> section of a <c>pxp</c> config.</summary>
    public static ResourceLimits Create(Config limits) => new(
        MaxConnections: limits.GetInt("max-connections"),
        OpenFilesReserve: limits.GetInt("open-files-reserve"),
        MaxConnectionsPerAddress: limits.GetInt("max-connections-per-address"),
        ExemptLoopback: limits.GetBoolean("exempt-loopback"),
        MaxPendingHandshakes: limits.GetInt("max-pending-handshakes"),
        MaxRelayedSessions: limits.GetInt("max-relayed-sessions"),
        MaxIncomingRelaysPerPeer: limits.GetInt("max-incoming-relays-per-peer"),
        MaxRelays: limits.GetInt("max-relays"),
        MaxSubstreams: limits.GetInt("max-substreams"),
        NodeBufferBytes: limits.GetByteSize("node-buffer") ?? 512L * 1024 * 1024,
        MaxPendingUpgrades: limits.GetInt("max-pending-upgrades"));

    /// <summary>
    /// <see cref="MaxConnections"/>, lowered to fit under the process's open-file limit less <see cref="OpenFilesReserve"/>:
    /// a node that runs out of descriptors can no longer accept, open a file or start a thread.
    /// </summary>
    public int ConnectionCap => OpenFileLimit.Current is { } files
        ? (int)Math.Clamp(files - OpenFilesReserve, 1, MaxConnections)
        : MaxConnections;
}
