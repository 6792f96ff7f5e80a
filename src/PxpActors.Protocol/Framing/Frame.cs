namespace PxpActors.Protocol.Framing;

/// <summary>One multiplex frame: <c>varint(channel &lt;&lt; 3 | type) varint(length) payload</c>.</summary>
public readonly record struct Frame(uint Channel, FrameType Type, ReadOnlyMemory<byte> Payload)
{
    /// <summary>Highest channel number whose header still fits the 5-byte varint limit.</summary>
    public const uint MaxChannel = (1u << 29) - 1;

    /// <summary>The frame's header varint: the channel number shifted left by 3, ORed with the type.</summary>
    public uint Header => Channel << 3 | (uint)Type;

    /// <summary>Bytes the frame takes on the wire: header, length and payload.</summary>
    public int EncodedLength => Varint.SizeOf(Header) + Varint.SizeOf((uint)Payload.Length) + Payload.Length;

    /// <summary>Writes header and payload into one buffer, so a frame is one transport write.</summary>
    public int WriteTo(Span<byte> destination)
    {
        var n = Varint.Write(Header, destination);
        n += Varint.Write((uint)Payload.Length, destination[n..]);
        Payload.Span.CopyTo(destination[n..]);
        return n + Payload.Length;
    }

    /// <summary>The frame as one new array, as <see cref="WriteTo"/> writes it.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[EncodedLength];
        WriteTo(bytes);
        return bytes;
    }
}
