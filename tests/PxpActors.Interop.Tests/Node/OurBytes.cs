using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;

namespace PxpActors.Interop.Tests.Node;

/// <summary>Wire bytes built with our own encoder (src/PxpActors.Protocol), to compare with the reference's.</summary>
internal static class OurBytes
{
    /// <summary>Both sides open "pxp" as their first channel, 0.</summary>
    public const uint PxpChannel = 0;

    public static byte[] Frame(uint channel, FrameType type, ReadOnlySpan<byte> payload) =>
        new Frame(channel, type, payload.ToArray()).ToArray();

    /// <summary>One RPC message on our "pxp" channel (already announced).</summary>
    public static byte[] Rpc(PxpMessage message) => Frame(PxpChannel, FrameType.DataFromCreator, RpcCodec.Encode(message));

    /// <summary>What a node writes first: the magic, the open of "pxp", and hello (nonce "0").</summary>
    public static byte[] SessionStart(string network, bool accepting = true) =>
    [
        .. PxpMagic.Bytes,
        .. Frame(PxpChannel, FrameType.Open, "pxp"u8),
        .. Rpc(new Hello("0", Hello.CurrentVersion, accepting ? ConnectInfo.Accepting : null, [network])),
    ];

    public static byte[] Open(uint channel, string name) => Frame(channel, FrameType.Open, System.Text.Encoding.UTF8.GetBytes(name));

    public static byte[] Data(uint channel, ReadOnlySpan<byte> payload) => Frame(channel, FrameType.DataFromCreator, payload);
}
