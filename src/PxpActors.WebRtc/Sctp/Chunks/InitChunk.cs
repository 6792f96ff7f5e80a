using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>INIT (RFC 9260 section 3.3.2): opens an association; the layout is <see cref="InitiationChunk"/>'s.</summary>
public sealed record InitChunk(uint InitiateTag, uint AdvertisedReceiverWindowCredit, ushort OutboundStreams, ushort InboundStreams, uint InitialTsn, IReadOnlyList<Parameter> Parameters)
    : InitiationChunk(InitiateTag, AdvertisedReceiverWindowCredit, OutboundStreams, InboundStreams, InitialTsn, Parameters)
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.Init;

    internal static InitChunk ReadValue(ReadOnlySpan<byte> value) =>
        ReadValue(ChunkType.Init, value, static (tag, window, outbound, inbound, tsn, parameters) =>
            new InitChunk(tag, window, outbound, inbound, tsn, parameters));
}
