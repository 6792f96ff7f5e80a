using System.Text;
using PxpActors.Protocol.Rpc;

namespace PxpActors.Actors;

/// <summary>What the node knows about one PXP session with a peer.</summary>
/// <param name="Id">Local, unique for the node's lifetime (for example "tcp-3").</param>
/// <param name="Transport">tcp, ws, webrtc, relay or memory.</param>
/// <param name="Incoming">True when the peer connected to us.</param>
/// <param name="Relayed">True for a session nested in a relay substream, at both ends (relayed to us, or opened over a relay connection).</param>
/// <param name="ConnectInfo">The peer's hello connectInfo; null when it does not accept incoming sessions.</param>
/// <param name="Networks">The network ids the peer announced.</param>
public sealed record PeerInfo(
    string Id,
    string Transport,
    bool Incoming,
    bool Relayed,
    ConnectInfo? ConnectInfo,
    IReadOnlyList<string> Networks)
{
    /// <summary>True when the peer takes PXP sessions relayed to it (its connectInfo says "pxp": true).</summary>
    public bool AcceptsIncoming => ConnectInfo?.Pxp == true;

    /// <summary>The peer's node id when it is a PxpActors node that accepts incoming sessions (JavaScript peers have none).</summary>
    public string? NodeId => ConnectInfo?.NodeId;

    /// <summary>The peer's transport address (ip:port) when its session runs over a socket; null otherwise.</summary>
    public string? RemoteAddress { get; init; }

    // The networks as a list, not the collection's type name.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id).Append(", Transport = ").Append(Transport)
            .Append(", RemoteAddress = ").Append(RemoteAddress ?? "null")
            .Append(", Incoming = ").Append(Incoming).Append(", Relayed = ").Append(Relayed)
            .Append(", ConnectInfo = ").Append(ConnectInfo?.Json.GetRawText() ?? "null")
            .Append(", Networks = [").AppendJoin(", ", Networks).Append(']');
        return true;
    }
}
