namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// One SCTP chunk (RFC 9260 section 3.2). The length counts header and value but not the padding to a
/// multiple of 4 that follows.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Chunk Type  | Chunk  Flags  |        Chunk Length           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                          Chunk Value                          /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public abstract record Chunk : SctpTlv
{
    /// <summary>The chunk's type, its first byte.</summary>
    public abstract ChunkType Type { get; }

    /// <summary>The chunk's flags byte (0 unless the type defines flags).</summary>
    public virtual byte Flags => 0;

    private protected override ushort TypeField => (ushort)((byte)Type << 8 | Flags);

    /// <summary>Parses exactly one chunk (its padding may follow).</summary>
    public static Chunk Parse(ReadOnlySpan<byte> bytes)
    {
        var chunk = ParseNext(bytes, out var consumed);
        if (consumed != bytes.Length)
            throw new SctpProtocolException($"{bytes.Length - consumed} bytes follow the {chunk.Type} chunk.");
        return chunk;
    }

    /// <summary>Parses the chunk at the start of <paramref name="bytes"/>; <paramref name="consumed"/> includes padding.</summary>
    public static Chunk ParseNext(ReadOnlySpan<byte> bytes, out int consumed)
    {
        var typeField = ReadHeader(bytes, "Chunk", static field => (ChunkType)(field >> 8), out var length, out consumed);
        var type = (ChunkType)(typeField >> 8);
        var flags = (byte)typeField;
        var value = bytes[HeaderLength..length];
        return type switch
        {
            ChunkType.Data => DataChunk.ReadValue(flags, value),
            ChunkType.Init => InitChunk.ReadValue(value),
            ChunkType.InitAck => InitAckChunk.ReadValue(value),
            ChunkType.Sack => SackChunk.ReadValue(value),
            ChunkType.Heartbeat => HeartbeatChunk.ReadValue(value),
            ChunkType.HeartbeatAck => HeartbeatAckChunk.ReadValue(value),
            ChunkType.Abort => AbortChunk.ReadValue(flags, value),
            ChunkType.Shutdown => ShutdownChunk.ReadValue(value),
            ChunkType.ShutdownAck => ShutdownAckChunk.ReadValue(value),
            ChunkType.Error => ErrorChunk.ReadValue(value),
            ChunkType.CookieEcho => CookieEchoChunk.ReadValue(value),
            ChunkType.CookieAck => CookieAckChunk.ReadValue(value),
            ChunkType.ShutdownComplete => ShutdownCompleteChunk.ReadValue(flags, value),
            ChunkType.ReConfig => ReConfigChunk.ReadValue(value),
            ChunkType.ForwardTsn => ForwardTsnChunk.ReadValue(value),
            _ => new UnknownChunk(type, flags, value.ToArray()),
        };
    }

    internal static void RequireEmpty(ChunkType type, ReadOnlySpan<byte> value)
    {
        if (value.Length != 0)
            throw new SctpProtocolException($"{type} chunk must be empty, has {value.Length} bytes of value.");
    }
}
