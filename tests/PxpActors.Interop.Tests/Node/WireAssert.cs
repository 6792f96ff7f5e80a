using System.Text.Json;
using PxpActors.Interop.Tests.Fixture;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using Xunit;

namespace PxpActors.Interop.Tests.Node;

/// <summary>Byte comparisons that name what differs, and reading back RPC messages a node wrote.</summary>
internal static class WireAssert
{
    public static void SameBytes(string what, byte[] expected, byte[] actual) =>
        Assert.True(expected.AsSpan().SequenceEqual(actual),
            $"{what} differ\nexpected: {Convert.ToHexString(expected)}\nactual:   {Convert.ToHexString(actual)}");

    /// <summary>The RPC message in a single frame a node wrote on its "pxp" channel.</summary>
    public static PxpMessage Message(byte[] frame) => RpcCodec.Decode(HandBuiltFrames.PayloadOf(frame));

    /// <summary>The args of a res, as JSON text (for messages whose text the reference chose).</summary>
    public static JsonElement ResponseArgs(byte[] frame) => Assert.IsType<Response>(Message(frame)).Args;
}
