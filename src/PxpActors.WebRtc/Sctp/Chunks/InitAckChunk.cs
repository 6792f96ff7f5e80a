using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// INIT ACK (RFC 9260 section 3.3.3): answers INIT with the responder's tag and parameters, and carries the mandatory
/// State Cookie parameter the initiator must echo back; the layout is <see cref="InitiationChunk"/>'s.
/// </summary>
public sealed record InitAckChunk(uint InitiateTag, uint AdvertisedReceiverWindowCredit, ushort OutboundStreams, ushort InboundStreams, uint InitialTsn, IReadOnlyList<Parameter> Parameters)
    : InitiationChunk(InitiateTag, AdvertisedReceiverWindowCredit, OutboundStreams, InboundStreams, InitialTsn, Parameters)
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.InitAck;

    /// <summary>The cookie every valid INIT ACK carries (checked when parsing).</summary>
    public ReadOnlyMemory<byte> StateCookie => Parameters.OfType<StateCookieParameter>().First().Cookie;

    internal static InitAckChunk ReadValue(ReadOnlySpan<byte> value)
    {
        var ack = ReadValue(ChunkType.InitAck, value, static (tag, window, outbound, inbound, tsn, parameters) =>
            new InitAckChunk(tag, window, outbound, inbound, tsn, parameters));
        if (!ack.Parameters.OfType<StateCookieParameter>().Any())
            throw new SctpProtocolException("INIT ACK without the mandatory State Cookie parameter.");
        return ack;
    }
}
