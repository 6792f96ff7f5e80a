using PxpActors.Diagnostics;
using PxpActors.Carriers;
using PxpActors.Multiplexing;

namespace PxpActors.Relays;

/// <summary>
/// The substream a <see cref="SubstreamCarrierStage"/> carries a nested session over, and what it shares with that
/// session's multiplexer: for one session (see <see cref="CarrierBinding"/>).
/// </summary>
/// <param name="channel">The substream.</param>
/// <param name="lendChunks">
/// Push what the peer sends in leased arrays that are reused once the next chunk is pulled, unless a holder of the
/// chunk's lease (see <see cref="Lender"/>) keeps one: only for a downstream that copies or leases what it keeps before
/// it pulls again (a session's multiplexer given <see cref="Lender"/>).
/// </param>
/// <param name="shareSender">
/// Carrying a nested session whose multiplexer is given <see cref="Sender"/>: its channels may then write their data
/// frames into the substream themselves, and the stage writes its elements under the same sender.
/// </param>
/// <param name="transport">The transport's name: a nested session's bytes are counted under it (null: not counted).</param>
internal sealed class SubstreamCarrierBinding(SubstreamChannel channel, bool lendChunks = false, bool shareSender = false,
    string? transport = null) : CarrierBinding(transport)
{
    /// <summary>
    /// For a session run over <paramref name="channel"/> (a relayed one): the stage lends its chunks and shares its sender,
    /// so the session's channels write their frames into the substream themselves, as they would onto a socket.
    /// </summary>
    public static SubstreamCarrierBinding CarryingSession(SubstreamChannel channel, string transport = "relay") =>
        new(channel, lendChunks: true, shareSender: true, transport);

    public SubstreamChannel Channel { get; } = channel;

    /// <summary>The sender shared with a nested session's direct writers, when asked for.</summary>
    internal override SubstreamFrameWriter? Sender { get; } = shareSender ? new SubstreamFrameWriter(channel.Writer, new TransportTraffic(transport)) : null;

    /// <summary>When chunks are lent: the lease of the chunk last pushed, for the stage downstream; else null.</summary>
    internal override ChunkLender? Lender { get; } = lendChunks ? new ChunkLender() : null;

    internal override void Discard() => Channel.Close();
}
