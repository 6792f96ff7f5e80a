using PxpActors.Protocol;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.JsReference;
using Xunit;

namespace PxpActors.Interop.Tests.Node;

/// <summary>
/// A reply that unlocks a substream must reach the wire before that substream's first frame: a JS peer
/// registers relay:&lt;id&gt; (or data:&lt;network&gt;) in its res callback, and an open that arrives
/// earlier goes to an anonymous channel, its bytes lost. Checked many times over, since the order
/// must not depend on timing.
/// </summary>
[Collection(JsNodeCollection.Name)]
public sealed class ReplyOrderSpec
{
    private const string Network = "test";
    private const string RelayId = "abcd1234";
    private const int Sessions = 40;
    private const int Relays = 10;

    [SkippableFact]
    public async Task Our_candidate_must_answer_incoming_before_its_relayed_session_starts_as_the_reference_does()
    {
        await using var driver = await JsDriver.StartAsync();
        var jsCandidate = await driver.CreateExchangeAsync("candidate", Network);
        await using var capture = await driver.CaptureConnectAsync(await jsCandidate.ListenAsync());
        await capture.ReadSessionStartAsync();
        await capture.WriteAsync(OurBytes.SessionStart(Network));
        await capture.WriteAsync(OurBytes.Rpc(new Incoming("1", RelayId)));
        byte[] expected =
        [
            .. OurBytes.Rpc(new Response("1", Replies.Ok)),
            .. OurBytes.Open(1, "relay:" + RelayId),
            .. OurBytes.Data(1, PxpMagic.Bytes),
        ];
        WireAssert.SameBytes("reference: res, then the relayed session", expected, await capture.ReadExactlyAsync(expected.Length));

        // Ours, many times over: the order must not depend on luck. Our relayed session may write its magic
        // together with what follows it (one frame), so the first frame on the relay must start with it.
        byte[] resThenOpen = [.. OurBytes.Rpc(new Response("1", Replies.Ok)), .. OurBytes.Open(1, "relay:" + RelayId)];
        await using var node = await OurNode.StartAsync(Network, referenceBytes: true);
        for (var session = 0; session < Sessions; session++)
        {
            await using var socket = await RawSocket.ConnectAsync(node.Port);
            await socket.ReadExactlyAsync(OurBytes.SessionStart(Network).Length);
            await socket.WriteAsync(OurBytes.SessionStart(Network));
            await socket.WriteAsync(OurBytes.Rpc(new Incoming("1", RelayId)));
            WireAssert.SameBytes($"session {session}: res, then the relay's open", resThenOpen, await socket.ReadExactlyAsync(resThenOpen.Length));
            byte[] firstFrameStart = [.. OurBytes.Data(1, PxpMagic.Bytes)[..1]]; // data, channel 1
            WireAssert.SameBytes($"session {session}: then data on the relay", firstFrameStart, await socket.ReadExactlyAsync(1));
            var length = (await socket.ReadExactlyAsync(1))[0];
            Assert.True(length is >= 5 and < 0x80, $"session {session}: a first relayed frame of {length} bytes");
            WireAssert.SameBytes($"session {session}: the relayed session starts with the magic", PxpMagic.Bytes.ToArray(),
                (await socket.ReadExactlyAsync(length))[..5]);
        }
    }

    [Fact]
    public async Task Our_callee_must_answer_connect_before_the_applications_first_bytes()
    {
        await using var node = await OurNode.StartAsync(Network, referenceBytes: true);
        byte[] expected =
        [
            .. OurBytes.Rpc(new Response("1", Replies.Ok)),
            .. OurBytes.Open(1, "data:" + Network),
            .. OurBytes.Data(1, "x"u8),
        ];
        for (var session = 0; session < Sessions; session++)
        {
            await using var socket = await RawSocket.ConnectAsync(node.Port);
            await socket.ReadExactlyAsync(OurBytes.SessionStart(Network).Length);
            await socket.WriteAsync(OurBytes.SessionStart(Network));
            await socket.WriteAsync(OurBytes.Rpc(new Connect("1", Network)));
            // The application writes the moment it gets the connection.
            var connection = await node.NextConnectionAsync();
            await using var stream = connection.OpenStream();
            await stream.WriteAsync("x"u8.ToArray());
            WireAssert.SameBytes($"session {session}: res, then the application's bytes", expected, await socket.ReadExactlyAsync(expected.Length));
        }
    }

    [Fact]
    public async Task Our_hub_must_answer_relay_before_relaying_the_candidates_first_bytes()
    {
        await using var hub = await OurNode.StartAsync(Network, referenceBytes: true);
        await using var target = await RawSocket.ConnectAsync(hub.Port);
        await target.ReadExactlyAsync(OurBytes.SessionStart(Network).Length);
        await target.WriteAsync(OurBytes.SessionStart(Network));
        await using var asker = await RawSocket.ConnectAsync(hub.Port);
        await asker.ReadExactlyAsync(OurBytes.SessionStart(Network).Length);
        await asker.WriteAsync(OurBytes.SessionStart(Network));
        await hub.WaitForPeerCountAsync(2);

        for (var relay = 1; relay <= Relays; relay++)
        {
            var getPeersNonce = Nonce.Format(2 * relay - 1);
            var relayNonce = Nonce.Format(2 * relay);
            await asker.WriteAsync(OurBytes.Rpc(new GetPeers(getPeersNonce, Network)));
            var candidateId = await ReadSingleCandidateAsync(asker, getPeersNonce);
            await asker.WriteAsync(OurBytes.Rpc(new Relay(relayNonce, candidateId)));

            // The candidate answers and starts its relayed session at once, in one write.
            var incoming = Assert.IsType<Incoming>(WireAssert.Message(
                await target.ReadExactlyAsync(OurBytes.Rpc(new Incoming(Nonce.Format(relay), RelayId)).Length)));
            byte[] answerAndStart =
            [
                .. OurBytes.Rpc(new Response(incoming.Nonce, Replies.Ok)),
                .. OurBytes.Open((uint)relay, "relay:" + incoming.RelayId),
                .. OurBytes.Data((uint)relay, PxpMagic.Bytes),
            ];
            await target.WriteAsync(answerAndStart);

            byte[] expected =
            [
                .. OurBytes.Rpc(new Response(relayNonce, Replies.Ok)),
                .. OurBytes.Open((uint)relay, "relay:" + candidateId),
                .. OurBytes.Data((uint)relay, PxpMagic.Bytes),
            ];
            WireAssert.SameBytes($"relay {relay}: res, then the relayed bytes", expected, await asker.ReadExactlyAsync(expected.Length));
        }
    }

    /// <summary>Reads our hub's getpeers reply (one candidate, accepting) and returns the candidate id.</summary>
    private static async Task<string> ReadSingleCandidateAsync(RawSocket asker, string nonce)
    {
        var template = OurBytes.Rpc(new Response(nonce, Replies.Candidates([new Candidate(RelayId, Network, ConnectInfo.Accepting)])));
        var reply = await asker.ReadExactlyAsync(template.Length);
        var candidates = Replies.ReadCandidates(WireAssert.ResponseArgs(reply));
        return Assert.Single(candidates.Value!).Id;
    }
}
