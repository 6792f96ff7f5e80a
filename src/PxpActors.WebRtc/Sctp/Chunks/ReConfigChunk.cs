using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// RE-CONFIG (RFC 6525 section 3.1): carries one or two stream reconfiguration parameters (requests
/// and/or responses).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | Type = 130    |  Chunk Flags  |      Chunk Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                  Re-configuration Parameter                   /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \             Re-configuration Parameter (optional)             /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record ReConfigChunk(IReadOnlyList<Parameter> Parameters) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.ReConfig;
    /// <inheritdoc/>
    public override int ValueLength => Parameter.ListLength(Parameters);
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) => Parameter.WriteList(Parameters, destination);

    internal static ReConfigChunk ReadValue(ReadOnlySpan<byte> value)
    {
        var parameters = Parameter.ParseAll(value);
        return parameters.Count is 1 or 2
            ? new(parameters)
            : throw new SctpProtocolException($"RE-CONFIG must carry one or two parameters, carries {parameters.Count}.");
    }
}
