using System.Text;
using Akka.IO;
using PxpActors.Protocol.Framing;

namespace PxpActors.Tests.Streams.Multiplexer;

/// <summary>One frame the stage wrote to the transport, checked to fill its transport element exactly.</summary>
internal sealed record WireFrame(uint Channel, FrameType Type, string Text)
{
    public static WireFrame FromElement(ByteString element)
    {
        var frames = new List<Frame>();
        var decoder = new FrameDecoder(int.MaxValue);
        decoder.Decode(element.ToArray(), frames.Add);
        Assert.True(frames.Count == 1 && decoder.IsAtFrameBoundary,
            $"a transport element must hold exactly one whole frame, got {frames.Count} frame(s) in {element.Count} bytes");
        var frame = frames[0];
        return new WireFrame(frame.Channel, frame.Type, Encoding.UTF8.GetString(frame.Payload.Span));
    }
}
