using System.Text;
using System.Text.Json;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;

namespace PxpActors.Protocol.Tests.Fuzzing;

/// <summary>
/// The seeds the fuzz tests mutate: what a conforming peer sends, built with our encoders, plus the opening
/// bytes the reference writes (PROTOCOL.md section 6; GoldenBytesSpec checks our encoder against the live reference).
/// </summary>
internal static class WellFormed
{
    /// <summary>A reference peer's first bytes: magic, open channel 0 "pxp", its hello on network "test".</summary>
    public static byte[] ReferenceSessionStart { get; } =
    [
        .. PxpMagic.Bytes,
        0x00, 0x03, .. "pxp"u8,
        0x02, 0x43, .. """["hello","0",[1,{"pxp":true,"relay":true,"webrtc":true},["test"]]]"""u8, (byte)'\n',
    ];

    private static readonly ConnectInfo Extended =
        ConnectInfo.Parse("""{"pxp":true,"relay":true,"webrtc":true,"nodeId":"0badc0de","n":[1,-2.5e3,null]}""");

    private static readonly Candidate[] SomeCandidates =
    [
        new("0a1b2c3d", "test", ConnectInfo.Accepting),
        new("deadbeef", "test", null),
        new("01234567", "pxp-demo", Extended),
    ];

    /// <summary>Every command and every reply shape, as RPC lines (newline included).</summary>
    public static IReadOnlyList<byte[]> RpcLines { get; } =
    [
        RpcCodec.Encode(new Hello("0", Hello.CurrentVersion, ConnectInfo.Accepting, ["test"])),
        RpcCodec.Encode(new Hello("0", Hello.CurrentVersion, null, ["a", "b", "pxp-demo"])),
        RpcCodec.Encode(new Hello("1z", Hello.CurrentVersion, Extended, [])),
        RpcCodec.Encode(new GetPeers("1", "test")),
        RpcCodec.Encode(new Connect("2", "pxp-demo")),
        RpcCodec.Encode(new Relay("3", "0a1b2c3d")),
        RpcCodec.Encode(new Incoming("a", "deadbeef")),
        RpcCodec.Encode(new Upgrade("b", Upgrade.WebRtcTransport, Signal("""{"type":"offer","sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n"}"""))),
        RpcCodec.Encode(new Upgrade("c", Upgrade.WebRtcTransport,
            Signal("""{"candidate":{"candidate":"candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host","sdpMLineIndex":0,"sdpMid":"0"}}"""))),
        RpcCodec.Encode(new Response("1", Replies.Candidates(SomeCandidates))),
        RpcCodec.Encode(new Response("1", Replies.Candidates([]))),
        RpcCodec.Encode(new Response("1", Replies.CandidatesError("unknown network \"x\"\u00e9\u2603"))),
        RpcCodec.Encode(new Response("3", Replies.Ok)),
        RpcCodec.Encode(new Response("3", Replies.Error("Peer not found"))),
        Encoding.UTF8.GetBytes("""["res","4",{"odd":[true,false,1.5e-7,"\ud83c\udf89\u0001"]}]""" + "\r\n"),
    ];

    /// <summary>Whole multiplex streams (after the magic): a session start, data of every size class, ends, errors.</summary>
    public static IReadOnlyList<byte[]> FrameStreams { get; } =
    [
        ReferenceSessionStart[PxpMagic.Length..],
        Frames(
            new Frame(0, FrameType.Open, "pxp"u8.ToArray()),
            new Frame(0, FrameType.DataFromCreator, RpcLines[3]),
            new Frame(1, FrameType.Open, "data:test"u8.ToArray()),
            new Frame(1, FrameType.DataFromCreator, Filled(300, 0x41)),
            new Frame(0, FrameType.DataFromReceiver, RpcLines[12]),
            new Frame(1, FrameType.EndFromCreator, Array.Empty<byte>()),
            new Frame(1, FrameType.EndFromReceiver, Array.Empty<byte>())),
        Frames(
            new Frame(2, FrameType.Open, "relay:0a1b2c3d"u8.ToArray()),
            new Frame(2, FrameType.DataFromCreator, ReferenceSessionStart),
            new Frame(2, FrameType.ErrorFromCreator, "stream destroyed"u8.ToArray()),
            new Frame(2, FrameType.ErrorFromReceiver, Array.Empty<byte>())),
        Frames(
            new Frame(3, FrameType.Open, Array.Empty<byte>()), // the name is the channel number
            new Frame(200, FrameType.Open, "data:x"u8.ToArray()),
            new Frame(Frame.MaxChannel, FrameType.DataFromCreator, Filled(20_000, 0x5A)),
            new Frame(200, FrameType.DataFromCreator, Array.Empty<byte>())),
    ];

    /// <summary>Whole connections as they arrive on a socket: magic first.</summary>
    public static IReadOnlyList<byte[]> Connections { get; } =
        [ReferenceSessionStart, .. FrameStreams.Skip(1).Select(stream => (byte[])[.. PxpMagic.Bytes, .. stream])];

    private static JsonElement Signal(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    private static byte[] Frames(params Frame[] frames) => frames.SelectMany(frame => frame.ToArray()).ToArray();

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, value);
        return bytes;
    }
}
