using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Streams;

namespace PxpActors.Protocol.Tests.Rpc;

public sealed class RpcCodecProperties
{
    /// <summary>Strings a peer may use: ASCII, escapes, control characters, non-ASCII, surrogate pairs.</summary>
    private static readonly Gen<string> Text = Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(
        Gen.Elements("a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u0001", "\u001f", "é", "☃", "\u2028", "🎉"), n))
        .Select(string.Concat);

    private static readonly Gen<string> NonceGen = Gen.Choose(0, 100_000).Select(n => Nonce.Format(n));

    private static readonly Gen<ConnectInfo?> ConnectInfoGen = Gen.Elements(
        null, ConnectInfo.Accepting, ConnectInfo.StreamOnly, ConnectInfo.Parse("""{"pxp":true,"id":"x\u00e9","n":[1,-2.5e3,null]}"""));

    private static readonly Gen<Candidate> CandidateGen =
        from id in Text.Where(t => t.Length > 0)
        from network in Text
        from info in ConnectInfoGen
        select new Candidate(id, network, info);

    private static readonly Gen<PxpMessage> MessageGen = Gen.OneOf(
        from n in NonceGen from info in ConnectInfoGen from nets in Gen.ArrayOf(Text)
        select (PxpMessage)new Hello(n, 1, info, nets),
        from n in NonceGen from net in Text select (PxpMessage)new GetPeers(n, net),
        from n in NonceGen from net in Text select (PxpMessage)new Connect(n, net),
        from n in NonceGen from id in Text select (PxpMessage)new Relay(n, id),
        from n in NonceGen from id in Text select (PxpMessage)new Incoming(n, id),
        from n in NonceGen from sdp in Text
        select (PxpMessage)new Upgrade(n, "webrtc", JsonSerializer.SerializeToElement(new { type = "offer", sdp })),
        from n in NonceGen from candidates in Gen.ArrayOf(CandidateGen)
        select (PxpMessage)new Response(n, Replies.Candidates(candidates)),
        from n in NonceGen from error in Text select (PxpMessage)new Response(n, Replies.Error(error)),
        from n in NonceGen select (PxpMessage)new Response(n, Replies.Ok));

    /// <summary>A message compared by its wire form: records holding JsonElement or lists compare by reference.</summary>
    private static string Canonical(PxpMessage message) => Encoding.UTF8.GetString(RpcCodec.Encode(message));

    [Property(MaxTest = 300)]
    public Property Messages_encoded_then_line_split_at_any_chunking_then_decoded_must_be_the_same() =>
        Prop.ForAll(Arb.From(Gen.ArrayOf(MessageGen)), Arb.From(Gen.Choose(0, int.MaxValue)), (messages, seed) =>
        {
            var bytes = messages.SelectMany(RpcCodec.Encode).ToArray();
            var decoder = new LineDecoder(64 * 1024);
            var decoded = new List<PxpMessage>();
            foreach (var chunk in RandomChunks.Split(bytes, new Random(seed), 1 + seed % 50))
                decoder.Decode(chunk, line => decoded.Add(RpcCodec.Decode(line)));

            Assert.Equal(messages.Select(Canonical), decoded.Select(Canonical));
            Assert.Equal(messages.Select(m => m.GetType()), decoded.Select(m => m.GetType()));
        });

    [Property(MaxTest = 300)]
    public Property Decoded_fields_must_equal_the_encoded_ones() =>
        Prop.ForAll(Arb.From(MessageGen), message =>
        {
            var decoded = RpcCodec.Decode(RpcCodec.Encode(message).AsMemory()[..^1]);
            Assert.Equal(message.Nonce, decoded.Nonce);
            switch (message)
            {
                case Hello hello:
                    var back = Assert.IsType<Hello>(decoded);
                    Assert.Equal(hello.Networks, back.Networks);
                    Assert.Equal(hello.ConnectInfo is null, back.ConnectInfo is null);
                    Assert.Equal(Canonical(hello), Canonical(back));
                    break;
                case Response { Args.ValueKind: JsonValueKind.Array } response:
                    Assert.Equal(Replies.ReadCandidates(response.Args).Value,
                        Replies.ReadCandidates(Assert.IsType<Response>(decoded).Args).Value);
                    break;
                case GetPeers or Connect or Relay or Incoming:
                    Assert.Equal(message, decoded);
                    break;
            }
        });

    private static readonly Gen<string> JsonToken = Gen.Elements(
        "[", "]", "{", "}", ",", ":", "\"hello\"", "\"res\"", "\"getpeers\"", "\"relay\"", "\"incoming\"", "\"upgrade\"",
        "\"connect\"", "\"0\"", "\"transport\"", "\"signal\"", "\"id\"", "\"network\"", "null", "true", "1", "-1.5e9",
        "\"\\ud800\"", "\"\\u00e9\"", "\"", "\\", " ", "\n");

    private static readonly Gen<byte[]> NearlyJson = Gen.Choose(0, 30)
        .SelectMany(n => Gen.ArrayOf(JsonToken, n)).Select(tokens => Encoding.UTF8.GetBytes(string.Concat(tokens)));

    private static readonly Gen<byte[]> MessageShaped =
        from command in Gen.Elements("hello", "res", "getpeers", "relay", "incoming", "upgrade", "connect", "x")
        from nonce in Gen.Elements("\"0\"", "0", "null", "[]")
        from args in Gen.Choose(0, 8).SelectMany(n => Gen.ArrayOf(JsonToken, n)).Select(string.Concat)
        select Encoding.UTF8.GetBytes($"[\"{command}\",{nonce},{args}]");

    private static readonly Gen<byte[]> RandomBytes = Gen.Choose(0, 64)
        .SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));

    [Property(MaxTest = 2000)]
    public Property Garbage_lines_must_decode_or_fail_with_PxpProtocolException_only() =>
        Prop.ForAll(Arb.From(Gen.OneOf(NearlyJson, MessageShaped, RandomBytes)), line =>
        {
            var error = Record.Exception(() =>
            {
                var message = RpcCodec.Decode(line);
                // Whatever was accepted must also be writable and readable back.
                RpcCodec.Decode(RpcCodec.Encode(message).AsMemory()[..^1]);
                if (message is Response response)
                {
                    Replies.ReadCandidates(response.Args);
                    Replies.ReadStatus(response.Args);
                }
            });
            Assert.True(error is null or PxpProtocolException, $"{Encoding.UTF8.GetString(line)} => {error}");
        });
}
