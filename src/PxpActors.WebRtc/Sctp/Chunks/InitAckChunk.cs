using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// INIT ACK (RFC 9260 section 3.3.3): answers INIT with the responder's tag and parameters, and carries
/// the mandatory State Cookie parameter the initiator must echo back.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 2    |  Chunk Flags  |      Chunk Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Initiate Tag                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |              Advertised Receiver Window Credit                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Number of Outbound Streams   |   Number of Inbound Streams   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                          Initial TSN                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \     State Cookie, then Optional/Variable-Length Parameters    /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record InitAckChunk(
    uint InitiateTag,
    uint AdvertisedReceiverWindowCredit,
    ushort OutboundStreams,
    ushort InboundStreams,
    uint InitialTsn,
    IReadOnlyList<Parameter> Parameters) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.InitAck;
    /// <inheritdoc/>
    public override int ValueLength => 16 + Parameter.ListLength(Parameters);

    /// <summary>The cookie every valid INIT ACK carries (checked when parsing).</summary>
    public ReadOnlyMemory<byte> StateCookie => Parameters.OfType<StateCookieParameter>().First().Cookie;

    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) =>
        InitFields.Write(destination, InitiateTag, AdvertisedReceiverWindowCredit, OutboundStreams, InboundStreams, InitialTsn, Parameters);

    internal static InitAckChunk ReadValue(ReadOnlySpan<byte> value)
    {
        InitFields.Read(ChunkType.InitAck, value, out var tag, out var window, out var outbound, out var inbound, out var tsn, out var parameters);
        if (!parameters.OfType<StateCookieParameter>().Any())
            throw new SctpProtocolException("INIT ACK without the mandatory State Cookie parameter.");
        return new InitAckChunk(tag, window, outbound, inbound, tsn, parameters);
    }
}
