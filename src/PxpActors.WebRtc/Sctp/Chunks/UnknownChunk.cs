namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// A chunk type this stack does not implement. RFC 9260 section 3.2: the two high bits of the type say
/// whether to stop processing the packet (00, 01) or skip the chunk (10, 11), and whether to report it
/// (01, 11) in an ERROR with an Unrecognized Chunk Type cause.
/// </summary>
public sealed record UnknownChunk(ChunkType RawType, byte RawFlags, ReadOnlyMemory<byte> Value) : Chunk
{
    public override ChunkType Type => RawType;
    public override byte Flags => RawFlags;
    public override int ValueLength => Value.Length;
    public override void WriteValue(Span<byte> destination) => Value.Span.CopyTo(destination);

    public bool SkipAndContinue => ((byte)RawType & 0x80) != 0;
    public bool Report => ((byte)RawType & 0x40) != 0;
}
