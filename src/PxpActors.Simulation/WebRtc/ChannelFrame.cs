using System.Buffers.Binary;
using Akka.IO;

namespace PxpActors.Simulation.WebRtc;

/// <summary>
/// One event of one data channel on the cross-system link of a simulated peer connection: the link carries a byte stream,
/// these frames (length-prefixed by <c>Framing.SimpleFramingProtocol</c>) keep the channels' messages whole, as SCTP does.
/// Layout after the length: kind (1 byte), channel id (2 bytes, big endian), payload.
/// </summary>
internal sealed record ChannelFrame(ChannelFrameKind Kind, ushort ChannelId, ReadOnlyMemory<byte> Payload)
{
    private const int HeaderSize = 3;

    /// <summary>The largest encoded frame (a message of the channels' size limit and the header).</summary>
    public const int MaximumSize = SimulatedDataChannel.MessageSizeLimit + HeaderSize;

    public ByteString Encode()
    {
        var bytes = new byte[HeaderSize + Payload.Length];
        bytes[0] = (byte)Kind;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(1), ChannelId);
        Payload.Span.CopyTo(bytes.AsSpan(HeaderSize));
        return ByteString.FromBytes(bytes);
    }

    /// <summary>The frame in <paramref name="bytes"/> (one whole frame, without its length prefix).</summary>
    public static ChannelFrame Decode(ByteString bytes)
    {
        if (bytes.Count < HeaderSize) throw new IOException($"A simulated data channel frame of {bytes.Count} bytes is too short");
        var array = bytes.ToArray();
        var kind = (ChannelFrameKind)array[0];
        if (!Enum.IsDefined(kind)) throw new IOException($"Unknown simulated data channel frame kind {array[0]}");
        return new ChannelFrame(kind, BinaryPrimitives.ReadUInt16BigEndian(array.AsSpan(1)), array.AsMemory(HeaderSize));
    }
}
