using System.Text;
using Akka.IO;
using PxpActors.Protocol.Framing;

namespace PxpActors.Tests.Multiplexing;

/// <summary>One frame the stage wrote to the transport; transport elements hold whole frames only.</summary>
internal sealed record WireFrame(uint Channel, FrameType Type, string Text)
{
    /// <summary>The frames of one transport element (small control frames may share one write), checked to fill it exactly.</summary>
    public static IReadOnlyList<WireFrame> AllFromElement(ByteString element)
    {
        var frames = new List<Frame>();
        var decoder = new FrameDecoder(int.MaxValue);
        decoder.Decode(element.ToArray(), frames.Add);
        Assert.True(frames.Count >= 1 && decoder.IsAtFrameBoundary,
            $"a transport element must hold whole frames, got {frames.Count} frame(s) and a partial one in {element.Count} bytes");
        return frames.Select(f => new WireFrame(f.Channel, f.Type, Encoding.UTF8.GetString(f.Payload.Span))).ToList();
    }

    public static WireFrame FromElement(ByteString element)
    {
        var frames = AllFromElement(element);
        Assert.True(frames.Count == 1, $"expected one frame in the element, got {frames.Count}");
        return frames[0];
    }
}
