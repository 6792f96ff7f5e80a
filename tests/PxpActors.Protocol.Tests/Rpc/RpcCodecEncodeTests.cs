using System.Text;
using System.Text.Json;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;

namespace PxpActors.Protocol.Tests.Rpc;

/// <summary>The exact bytes of every message, as the reference's JSON.stringify + "\n" writes them.</summary>
public sealed class RpcCodecEncodeTests
{
    private static string Encode(PxpMessage message) => Encoding.UTF8.GetString(RpcCodec.Encode(message));

    private static readonly Candidate Accepting = new("0a1b2c3d", "test", ConnectInfo.Accepting);

    [Fact]
    public void Hello_must_encode_as_the_reference_does()
    {
        var hello = new Hello("0", Hello.CurrentVersion, ConnectInfo.Accepting, ["test"]);

        Assert.Equal("[\"hello\",\"0\",[1,{\"pxp\":true,\"relay\":true,\"webrtc\":true},[\"test\"]]]\n", Encode(hello));
    }

    [Fact]
    public void Hello_of_a_node_not_accepting_incoming_must_send_null_connectInfo()
    {
        var hello = new Hello("0", 1, null, ["a", "b"]);

        Assert.Equal("[\"hello\",\"0\",[1,null,[\"a\",\"b\"]]]\n", Encode(hello));
    }

    [Fact]
    public void Hello_must_pass_unknown_connectInfo_fields_through_in_order()
    {
        var info = ConnectInfo.Parse("""{"pxp":true,"nodeId":"abc","relay":false,"n":[1,2]}""");

        Assert.Equal("[\"hello\",\"0\",[1,{\"pxp\":true,\"nodeId\":\"abc\",\"relay\":false,\"n\":[1,2]},[]]]\n",
            Encode(new Hello("0", 1, info, [])));
    }

    [Fact]
    public void GetPeers_and_connect_must_send_the_network_as_a_bare_string()
    {
        Assert.Equal("[\"getpeers\",\"1\",\"test\"]\n", Encode(new GetPeers("1", "test")));
        Assert.Equal("[\"connect\",\"a\",\"test\"]\n", Encode(new Connect("a", "test")));
    }

    [Fact]
    public void Relay_and_incoming_must_send_the_id_in_a_one_element_array()
    {
        Assert.Equal("[\"relay\",\"2\",[\"0a1b2c3d\"]]\n", Encode(new Relay("2", "0a1b2c3d")));
        Assert.Equal("[\"incoming\",\"z\",[\"17\"]]\n", Encode(new Incoming("z", "17")));
    }

    [Fact]
    public void Upgrade_must_carry_transport_and_signal_and_is_a_request_not_a_reply()
    {
        using var signal = JsonDocument.Parse("""{"type":"offer","sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n"}""");
        var upgrade = new Upgrade("3", Upgrade.WebRtcTransport, signal.RootElement);

        Assert.Equal(
            "[\"upgrade\",\"3\",{\"transport\":\"webrtc\",\"signal\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\n\"}}]\n",
            Encode(upgrade));
        // Nothing in the codec answers an upgrade: a res to it crashes a JS peer (PROTOCOL.md section 6).
        Assert.Equal("upgrade", upgrade.Command);
    }

    [Fact]
    public void Res_with_candidates_must_list_id_network_connectInfo_in_that_order()
    {
        var args = Replies.Candidates([Accepting, new Candidate("ffffffff", "test", null)]);

        Assert.Equal(
            "[\"res\",\"1\",[null,[" +
            "{\"id\":\"0a1b2c3d\",\"network\":\"test\",\"connectInfo\":{\"pxp\":true,\"relay\":true,\"webrtc\":true}}," +
            "{\"id\":\"ffffffff\",\"network\":\"test\",\"connectInfo\":null}]]]\n",
            Encode(new Response("1", args)));
    }

    [Fact]
    public void Res_with_no_candidates_must_be_null_and_an_empty_array()
    {
        Assert.Equal("[\"res\",\"1\",[null,[]]]\n", Encode(new Response("1", Replies.Candidates([]))));
    }

    [Fact]
    public void Res_of_a_failed_getpeers_must_wrap_the_message_in_an_array()
    {
        Assert.Equal("[\"res\",\"1\",[\"Unknown network \\\"x\\\"\"]]\n",
            Encode(new Response("1", Replies.CandidatesError("Unknown network \"x\""))));
    }

    [Fact]
    public void Res_of_relay_incoming_connect_must_be_bare_null_or_a_bare_string()
    {
        Assert.Equal("[\"res\",\"5\",null]\n", Encode(new Response("5", Replies.Ok)));
        Assert.Equal("[\"res\",\"5\",\"Peer not found\"]\n", Encode(new Response("5", Replies.Error("Peer not found"))));
    }

    [Fact]
    public void Encode_must_escape_strings_as_JSON_stringify_does()
    {
        Assert.Equal("[\"getpeers\",\"0\",\"a\\\"b\\\\c\\u0001é\\ud800\"]\n",
            Encode(new GetPeers("0", "a\"b\\c\u0001é\ud800")));
    }
}
