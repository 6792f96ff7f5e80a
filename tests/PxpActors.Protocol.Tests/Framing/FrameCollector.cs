using PxpActors.Protocol.Framing;

namespace PxpActors.Protocol.Tests.Framing;

/// <summary>A decoded frame as a value: the payload as hex, so frames compare by content.</summary>
internal sealed record DecodedFrame(uint Channel, FrameType Type, string PayloadHex)
{
    public byte[] Payload => Convert.FromHexString(PayloadHex);

    public static DecodedFrame Of(Frame frame) => new(frame.Channel, frame.Type, Convert.ToHexString(frame.Payload.Span));
}

/// <summary>Feeds a <see cref="FrameDecoder"/> and keeps what it produced as <see cref="DecodedFrame"/>s.</summary>
internal sealed class FrameCollector(int maxPayload = 1024 * 1024, bool splitData = false)
{
    public FrameDecoder Decoder { get; } = new(maxPayload, splitData);

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

    /// <summary>
    /// What a consumer of split data sees: the frames in order, with each run of data for one channel and type
    /// joined into one frame, and empty data frames left out (they carry nothing).
    /// </summary>
    public static List<DecodedFrame> JoinData(IEnumerable<DecodedFrame> frames)
    {
        var joined = new List<DecodedFrame>();
        foreach (var frame in frames)
        {
            var isData = frame.Type is FrameType.DataFromCreator or FrameType.DataFromReceiver;
            if (isData && frame.PayloadHex.Length == 0) continue;
            if (isData && joined.Count > 0 && joined[^1] is var last && last.Channel == frame.Channel && last.Type == frame.Type)
                joined[^1] = last with { PayloadHex = last.PayloadHex + frame.PayloadHex };
            else joined.Add(frame);
        }
        return joined;
    }

    public static byte[] Encode(IEnumerable<Frame> frames) => frames.SelectMany(f => f.ToArray()).ToArray();
}
