using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// ERROR (RFC 9260 section 3.3.10): reports non-fatal conditions, such as an unrecognized chunk type.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 9    | Chunk  Flags  |           Length              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                   one or more Error Causes                    /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record ErrorChunk(IReadOnlyList<ErrorCause> Causes) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.Error;
    /// <inheritdoc/>
    public override int ValueLength => ErrorCause.ListLength(Causes);
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) => ErrorCause.WriteList(Causes, destination);

    internal static ErrorChunk ReadValue(ReadOnlySpan<byte> value)
    {
        var causes = ErrorCause.ParseAll(value);
        return causes.Count > 0 ? new(causes) : throw new SctpProtocolException("ERROR chunk without an error cause.");
    }
}
