using System.Text;
using System.Text.Json;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;

namespace PxpActors.Protocol.Tests.Rpc;

public sealed class RpcCodecDecodeTests
{
    private static PxpMessage Decode(string line) => RpcCodec.Decode(Encoding.UTF8.GetBytes(line));

    private static PxpProtocolException Rejects(string line) =>
        Assert.Throws<PxpProtocolException>(() => Decode(line));

    [Fact]
    public void Decode_must_read_the_references_hello()
    {
        var hello = Assert.IsType<Hello>(Decode("[\"hello\",\"0\",[1,{\"pxp\":true,\"relay\":true,\"webrtc\":true},[\"test\"]]]"));

        Assert.Equal("0", hello.Nonce);
        Assert.Equal(1, hello.Version);
        Assert.Equal(ConnectInfo.Accepting, hello.ConnectInfo);
        Assert.True(hello.ConnectInfo!.Pxp && hello.ConnectInfo.Relay && hello.ConnectInfo.WebRtc);
        Assert.Equal(["test"], hello.Networks);
    }

    [Fact]
    public void Decode_must_read_every_request_and_reply_shape()
    {
        Assert.Null(Assert.IsType<Hello>(Decode("[\"hello\",\"0\",[2,null,[]]]")).ConnectInfo);
        Assert.Equal(new GetPeers("1", "net"), Decode("[\"getpeers\",\"1\",\"net\"]"));
        Assert.Equal(new Connect("2", "net"), Decode("[\"connect\",\"2\",\"net\"]"));
        Assert.Equal(new Relay("3", "0a1b2c3d"), Decode("[\"relay\",\"3\",[\"0a1b2c3d\"]]"));
        Assert.Equal(new Incoming("4", "9"), Decode("[\"incoming\",\"4\",[\"9\"]]"));

        var upgrade = Assert.IsType<Upgrade>(Decode("[\"upgrade\",\"5\",{\"transport\":\"webrtc\",\"signal\":{\"candidate\":{}}}]"));
        Assert.Equal(("5", "webrtc", "{\"candidate\":{}}"), (upgrade.Nonce, upgrade.Transport, upgrade.Signal.GetRawText()));

        var res = Assert.IsType<Response>(Decode("[\"res\",\"6\",[null,[]]]"));
        Assert.Equal(("6", "[null,[]]"), (res.Nonce, res.Args.GetRawText()));
        Assert.Equal(JsonValueKind.Null, Assert.IsType<Response>(Decode("[\"res\",\"7\",null]")).Args.ValueKind);
    }

    [Fact]
    public void Decode_must_round_trip_what_Encode_wrote()
    {
        PxpMessage[] messages =
        [
            new GetPeers("a", "n\u0001\"é🎉"), new Connect("b", ""), new Relay("c", "x"), new Incoming("d", "y"),
        ];
        foreach (var message in messages)
            Assert.Equal(message, RpcCodec.Decode(RpcCodec.Encode(message).AsMemory()[..^1]));
    }

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]             // bad continuation byte
    [InlineData(new byte[] { 0xFF })]                   // never valid
    [InlineData(new byte[] { 0xC0, 0xAF })]             // overlong "/"
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]       // a surrogate code point spelled in UTF-8
    [InlineData(new byte[] { 0xE2, 0x98 })]             // truncated sequence
    public void Decode_must_reject_invalid_UTF8(byte[] bad)
    {
        byte[] inString = [.. "[\"getpeers\",\"0\",\""u8, .. bad, .. "\"]"u8];
        byte[] outsideString = [.. "[\"getpeers\",\"0\",\"n\"]"u8, .. bad];

        Assert.Equal("Peer sent invalid UTF-8", Assert.Throws<PxpProtocolException>(() => RpcCodec.Decode(inString)).Message);
        Assert.Equal("Peer sent invalid UTF-8", Assert.Throws<PxpProtocolException>(() => RpcCodec.Decode(outsideString)).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[")]
    [InlineData("[\"hello\",\"0\",]")]
    [InlineData("['hello','0',1]")]
    [InlineData("[\"a\"] trailing")]
    [InlineData("{\"a\":}")]
    [InlineData("NaN")]
    public void Decode_must_reject_invalid_JSON(string line) =>
        Assert.StartsWith("Peer sent invalid JSON", Rejects(line).Message);

    [Fact]
    public void Decode_must_reject_nesting_deeper_than_its_limit()
    {
        var deep = new string('[', 100) + new string(']', 100);

        Assert.StartsWith("Peer sent invalid JSON", Rejects(deep).Message);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("\"hello\"")]
    [InlineData("1")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("[\"getpeers\",\"0\"]")]
    [InlineData("[\"getpeers\",\"0\",\"net\",\"extra\"]")]
    public void Decode_must_reject_anything_but_a_three_element_array(string line) =>
        Assert.Equal("Peer sent invalid PXP message: not a [command, nonce, args] array", Rejects(line).Message);

    [Theory]
    [InlineData("[\"foo\",\"0\",null]", "Peer sent unknown PXP message: \"foo\"")]
    [InlineData("[\"HELLO\",\"0\",null]", "Peer sent unknown PXP message: \"HELLO\"")]
    [InlineData("[\"\",\"0\",null]", "Peer sent unknown PXP message: \"\"")]
    [InlineData("[1,\"0\",null]", "Peer sent invalid PXP message: command is not a string")]
    [InlineData("[null,\"0\",null]", "Peer sent invalid PXP message: command is not a string")]
    [InlineData("[\"getpeers\",0,\"net\"]", "Peer sent invalid PXP message: nonce is not a string")]
    [InlineData("[\"res\",null,null]", "Peer sent invalid PXP message: nonce is not a string")]
    public void Decode_must_reject_unknown_or_mistyped_commands_and_nonces(string line, string message) =>
        Assert.Equal(message, Rejects(line).Message);

    [Theory]
    [InlineData("\"x\"", "args must be [version, connectInfo, networks]")]
    [InlineData("[1,null]", "args must be [version, connectInfo, networks]")]
    [InlineData("[1,null,[],4]", "args must be [version, connectInfo, networks]")]
    [InlineData("[\"1\",null,[]]", "version is not an integer")]
    [InlineData("[1.5,null,[]]", "version is not an integer")]
    [InlineData("[1e30,null,[]]", "version is not an integer")]
    [InlineData("[1,\"x\",[]]", "connectInfo is neither an object nor null")]
    [InlineData("[1,[],[]]", "connectInfo is neither an object nor null")]
    [InlineData("[1,true,[]]", "connectInfo is neither an object nor null")]
    [InlineData("[1,null,\"test\"]", "networks is not an array")]
    [InlineData("[1,null,[\"a\",2]]", "a network id is not a string")]
    [InlineData("[1,null,[null]]", "a network id is not a string")]
    public void Decode_must_reject_hello_with_wrong_argument_types(string args, string reason) =>
        Assert.Equal("Peer sent invalid hello: " + reason, Rejects($"[\"hello\",\"0\",{args}]").Message);

    [Theory]
    [InlineData("getpeers", "[\"net\"]")]
    [InlineData("getpeers", "null")]
    [InlineData("getpeers", "1")]
    [InlineData("connect", "[\"net\"]")]
    [InlineData("connect", "{}")]
    [InlineData("connect", "false")]
    public void Decode_must_reject_getpeers_and_connect_unless_args_is_a_string(string command, string args) =>
        Assert.Equal($"Peer sent invalid {command}: args must be a string", Rejects($"[\"{command}\",\"0\",{args}]").Message);

    [Theory]
    [InlineData("relay", "\"id\"")]
    [InlineData("relay", "[]")]
    [InlineData("relay", "[1]")]
    [InlineData("relay", "null")]
    [InlineData("incoming", "\"id\"")]
    [InlineData("incoming", "[null]")]
    [InlineData("incoming", "{\"0\":\"id\"}")]
    public void Decode_must_reject_relay_and_incoming_unless_args_is_an_array_starting_with_a_string(string command, string args) =>
        Assert.Equal($"Peer sent invalid {command}: args must be [string]", Rejects($"[\"{command}\",\"0\",{args}]").Message);

    [Theory]
    [InlineData("null")]
    [InlineData("\"webrtc\"")]
    [InlineData("{}")]
    [InlineData("{\"transport\":1,\"signal\":{}}")]
    [InlineData("[{\"transport\":\"webrtc\"}]")]
    public void Decode_must_reject_upgrade_without_a_transport_string(string args) =>
        Assert.StartsWith("Peer sent invalid upgrade", Rejects($"[\"upgrade\",\"0\",{args}]").Message);

    [Theory]
    [InlineData("[\"getpeers\",\"0\",\"\\ud800\"]")]
    [InlineData("[\"\\udfff\",\"0\",null]")]
    [InlineData("[\"res\",\"\\ud800\",null]")]
    [InlineData("[\"hello\",\"0\",[1,null,[\"\\udc00\"]]]")]
    [InlineData("[\"hello\",\"0\",[1,{\"x\":[\"a\\uDBFFb\"]},[]]]")]
    [InlineData("[\"hello\",\"0\",[1,{\"\\ud800\":1},[]]]")]
    [InlineData("[\"res\",\"1\",[null,[{\"id\":\"\\ud800\",\"network\":\"n\"}]]]")]
    public void Decode_must_reject_a_lone_surrogate_escape_anywhere(string line)
    {
        // JSON.stringify writes lone surrogates as escapes, but no .NET string can hold one: refuse the message
        // here, rather than let an InvalidOperationException surface wherever the value is read later.
        Assert.Equal("Peer sent a JSON string with a lone UTF-16 surrogate", Rejects(line).Message);
    }

    [Fact]
    public void Decode_must_accept_escaped_surrogate_pairs_and_other_escapes()
    {
        var getPeers = Assert.IsType<GetPeers>(Decode("[\"getpeers\",\"0\",\"\\ud83c\\udf89 \\u00e9\\n\"]"));

        Assert.Equal("🎉 é\n", getPeers.Network);
    }
}
