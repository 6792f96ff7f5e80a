using PxpActors.WebRtc.Sctp.Chunks;

namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>
/// Supported Extensions (RFC 5061 section 4.2.7): the extension chunk types a peer understands; WebRTC
/// peers list RE-CONFIG (130) and FORWARD TSN (192).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Parameter Type = 0x8008   |      Parameter Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | CHUNK TYPE 1  |  CHUNK TYPE 2 |  CHUNK TYPE 3 |  CHUNK TYPE 4 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record SupportedExtensionsParameter(IReadOnlyList<ChunkType> ChunkTypes) : Parameter
{
    /// <inheritdoc/>
    public override ParameterType Type => ParameterType.SupportedExtensions;
    /// <inheritdoc/>
    public override int ValueLength => ChunkTypes.Count;

    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination)
    {
        for (var i = 0; i < ChunkTypes.Count; i++)
            destination[i] = (byte)ChunkTypes[i];
    }

    /// <summary>True when the sender listed <paramref name="type"/>.</summary>
    public bool Supports(ChunkType type) => ChunkTypes.Contains(type);

    internal static SupportedExtensionsParameter ReadValue(ReadOnlySpan<byte> value)
    {
        var types = new ChunkType[value.Length];
        for (var i = 0; i < value.Length; i++)
            types[i] = (ChunkType)value[i];
        return new SupportedExtensionsParameter(types);
    }
}
