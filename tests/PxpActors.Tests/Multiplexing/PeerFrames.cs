using System.Text;
using PxpActors.Protocol.Framing;

namespace PxpActors.Tests.Multiplexing;

/// <summary>Frames as the peer writes them: "theirs" are channels the peer created, "ours" the stage's.</summary>
internal static class PeerFrames
{
    public static Frame Open(uint channel, string name) => new(channel, FrameType.Open, Encoding.UTF8.GetBytes(name));

    public static Frame Data(uint channel, string text) => new(channel, FrameType.DataFromCreator, Encoding.UTF8.GetBytes(text));

    public static Frame Data(uint channel, byte[] bytes) => new(channel, FrameType.DataFromCreator, bytes);

    public static Frame End(uint channel) => new(channel, FrameType.EndFromCreator, ReadOnlyMemory<byte>.Empty);

    public static Frame Reset(uint channel, string message = "") =>
        new(channel, FrameType.ErrorFromCreator, Encoding.UTF8.GetBytes(message));

    public static Frame DataOnOurs(uint channel, string text) =>
        new(channel, FrameType.DataFromReceiver, Encoding.UTF8.GetBytes(text));

    public static Frame EndOurs(uint channel) => new(channel, FrameType.EndFromReceiver, ReadOnlyMemory<byte>.Empty);

    public static Frame ResetOurs(uint channel, string message = "") =>
        new(channel, FrameType.ErrorFromReceiver, Encoding.UTF8.GetBytes(message));
}
