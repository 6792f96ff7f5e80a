namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// A chunk type this stack does not implement. RFC 9260 section 3.2: the two high bits of the type say
/// whether to stop processing the packet (00, 01) or skip the chunk (10, 11), and whether to report it
/// (01, 11) in an ERROR with an Unrecognized Chunk Type cause.
/// </summary>
public sealed record UnknownChunk(ChunkType RawType, byte RawFlags, ReadOnlyMemory<byte> Value) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => RawType;
    /// <inheritdoc/>
    public override byte Flags => RawFlags;
    /// <inheritdoc/>
    public override int ValueLength => Value.Length;
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) => Value.Span.CopyTo(destination);

    /// <summary>True when the rest of the packet is processed past this chunk (type's high bit set).</summary>
    public bool SkipAndContinue => ((byte)RawType & 0x80) != 0;
    /// <summary>True when the chunk is reported to the peer in an ERROR (type's second bit set).</summary>
    public bool Report => ((byte)RawType & 0x40) != 0;
}
