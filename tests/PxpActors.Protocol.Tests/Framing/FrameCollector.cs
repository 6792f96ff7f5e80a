using PxpActors.Protocol.Framing;

namespace PxpActors.Protocol.Tests.Framing;

/// <summary>A decoded frame as a value: the payload as hex, so frames compare by content.</summary>
internal sealed record DecodedFrame(uint Channel, FrameType Type, string PayloadHex)
{
    public byte[] Payload => Convert.FromHexString(PayloadHex);

    public static DecodedFrame Of(Frame frame) => new(frame.Channel, frame.Type, Convert.ToHexString(frame.Payload.Span));
}

/// <summary>Feeds a <see cref="FrameDecoder"/> and keeps what it produced as <see cref="DecodedFrame"/>s.</summary>
internal sealed class FrameCollector(int maxPayload = 1024 * 1024)
{
    public FrameDecoder Decoder { get; } = new(maxPayload);

    public List<DecodedFrame> Frames { get; } = [];

    public FrameCollector Feed(ReadOnlySpan<byte> bytes)
    {
        Decoder.Decode(bytes, frame => Frames.Add(DecodedFrame.Of(frame)));
        return this;
    }

    /// <summary>Feeds through the overload that may hand out slices of <paramref name="bytes"/>.</summary>
    public FrameCollector FeedShared(byte[] bytes)
    {
        Decoder.Decode(bytes.AsMemory(), frame => Frames.Add(DecodedFrame.Of(frame)));
        return this;
    }

    public static DecodedFrame Expected(Frame frame) => DecodedFrame.Of(frame);

    public static byte[] Encode(IEnumerable<Frame> frames) => frames.SelectMany(f => f.ToArray()).ToArray();
}
