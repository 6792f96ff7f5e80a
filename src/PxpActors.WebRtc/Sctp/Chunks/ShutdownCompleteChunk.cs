namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// SHUTDOWN COMPLETE (RFC 9260 section 3.3.13): the last chunk of a graceful close. T as in ABORT.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 14   |  Reserved   |T|          Length = 4           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record ShutdownCompleteChunk(bool TagReflected = false) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.ShutdownComplete;
    /// <inheritdoc/>
    public override byte Flags => TagReflected ? (byte)1 : (byte)0;
    /// <inheritdoc/>
    public override int ValueLength => 0;
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) { }

    internal static ShutdownCompleteChunk ReadValue(byte flags, ReadOnlySpan<byte> value)
    {
        RequireEmpty(ChunkType.ShutdownComplete, value);
        return new((flags & 1) != 0);
    }
}
