namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// COOKIE ACK (RFC 9260 section 3.3.12): the cookie was accepted; the association is established.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 11   |Chunk  Flags   |          Length = 4           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record CookieAckChunk : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.CookieAck;
    /// <inheritdoc/>
    public override int ValueLength => 0;
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) { }

    internal static CookieAckChunk ReadValue(ReadOnlySpan<byte> value)
    {
        RequireEmpty(ChunkType.CookieAck, value);
        return new();
    }
}
