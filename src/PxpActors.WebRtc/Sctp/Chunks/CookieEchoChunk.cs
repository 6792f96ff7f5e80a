namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// COOKIE ECHO (RFC 9260 section 3.3.11): returns the State Cookie of the INIT ACK verbatim.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 10   |Chunk  Flags   |         Length                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                            Cookie                             /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record CookieEchoChunk(ReadOnlyMemory<byte> Cookie) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.CookieEcho;
    /// <inheritdoc/>
    public override int ValueLength => Cookie.Length;
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) => Cookie.Span.CopyTo(destination);

    internal static CookieEchoChunk ReadValue(ReadOnlySpan<byte> value) => value.Length > 0
        ? new(value.ToArray())
        : throw new SctpProtocolException("COOKIE ECHO without a cookie.");
}
