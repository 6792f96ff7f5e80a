using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// ABORT (RFC 9260 section 3.3.7): ends the association at once. T set = the verification tag is the
/// sender's own (reflected) because it had no TCB.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 6    |  Reserved   |T|            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                   zero or more Error Causes                   /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record AbortChunk(bool TagReflected, IReadOnlyList<ErrorCause> Causes) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.Abort;
    /// <inheritdoc/>
    public override byte Flags => TagReflected ? (byte)1 : (byte)0;
    /// <inheritdoc/>
    public override int ValueLength => ErrorCause.ListLength(Causes);
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) => ErrorCause.WriteList(Causes, destination);
    internal static AbortChunk ReadValue(byte flags, ReadOnlySpan<byte> value) => new((flags & 1) != 0, ErrorCause.ParseAll(value));
}
