using System.Buffers.Binary;

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
public abstract record Chunk
{
    /// <summary>Bytes of the chunk header: type, flags, length.</summary>
    public const int HeaderLength = 4;

    /// <summary>The chunk's type, its first byte.</summary>
    public abstract ChunkType Type { get; }

    /// <summary>The chunk's flags byte (0 unless the type defines flags).</summary>
    public virtual byte Flags => 0;

    /// <summary>Length of the value alone.</summary>
    public abstract int ValueLength { get; }

    /// <summary>Writes the value alone (no header, no padding) into <paramref name="destination"/>, exactly <see cref="ValueLength"/> bytes.</summary>
    public abstract void WriteValue(Span<byte> destination);

    /// <summary>Header plus value, the figure written in the length field.</summary>
    public int Length => HeaderLength + ValueLength;

    /// <summary>Bytes the chunk occupies inside a packet.</summary>
    public int PaddedLength => (Length + 3) & ~3;

    /// <summary>Writes header, value and padding; returns the padded length.</summary>
    public int WriteTo(Span<byte> destination)
    {
        if (Length > ushort.MaxValue)
            throw new InvalidOperationException($"Chunk {Type} is too long ({Length} bytes).");
        destination[0] = (byte)Type;
        destination[1] = Flags;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Length);
        WriteValue(destination.Slice(HeaderLength, ValueLength));
        destination[Length..PaddedLength].Clear();
        return PaddedLength;
    }

    /// <summary>The chunk as one new array, padding included.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[PaddedLength];
        WriteTo(bytes);
        return bytes;
    }

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
        if (bytes.Length < HeaderLength)
            throw new SctpProtocolException($"Truncated chunk header ({bytes.Length} bytes).");
        var type = (ChunkType)bytes[0];
        var flags = bytes[1];
        int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        if (length < HeaderLength || length > bytes.Length)
            throw new SctpProtocolException($"Chunk {type} has bad length {length} ({bytes.Length} bytes available).");
        consumed = Math.Min((length + 3) & ~3, bytes.Length);
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
