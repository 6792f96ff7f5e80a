using Akka.Streams;
using PxpActors.Diagnostics;

namespace PxpActors.Carriers;

/// <summary>
/// What one session's carrier stage runs on, and what it shares with the multiplexer joined to it. Given as an
/// attribute when a session's graph is materialized from a blueprint fused once (fusing costs more than the rest of
/// a materialization), it binds the blueprint's stages to that session. One per session.
/// </summary>
/// <param name="transport">
/// The transport's name, as the session's <c>PeerInfo.Transport</c>: its bytes are counted under it (null: not counted).
/// </param>
public abstract class CarrierBinding(string? transport) : Attributes.IAttribute
{
    /// <summary>Where the stage and the direct writers count the session's bytes.</summary>
    internal TransportTraffic Traffic { get; } = new(transport);

    /// <summary>The sender the transport shares with the multiplexer's direct writers, if it has one.</summary>
    internal abstract SharedFrameWriter? Sender { get; }

    /// <summary>Where the transport shows the lease of the chunk it pushed last, if it lends its chunks.</summary>
    internal abstract ChunkLender? Lender { get; }

    /// <summary>
    /// The carrier's word on the chunks it pushes, for the multiplexer joined to it: lent (<see cref="Lender"/>) or, when
    /// null, immutable. The multiplexer keeps received bytes only through it.
    /// </summary>
    internal virtual ReceivedChunks? Chunks => Lender;

    /// <summary>The session was refused before it ran: release the transport (close the socket, end the substream).</summary>
    internal abstract void Discard();
}
