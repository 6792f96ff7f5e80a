using System.Net;
using System.Net.Sockets;
using PxpActors.Protocol;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.JsReference;
using Xunit;

namespace PxpActors.Interop.Tests.Node;

/// <summary>
/// Golden bytes, captured from the running reference in each test (never pasted): our encoder's bytes,
/// and what our node writes on a raw socket, must equal what a JS node writes in the same situation.
/// </summary>
[Collection(JsNodeCollection.Name)]
public sealed class GoldenBytesSpec
{
    private const string Network = "test";
    private const string UnknownCandidate = "0a1b2c3d";

    [SkippableFact]
    public async Task Our_hello_must_encode_to_the_reference_session_start()
    {
        await using var driver = await JsDriver.StartAsync();

        var accepting = await JsGoldenBytes.SessionStartAsync(driver, Network);
        var closed = await JsGoldenBytes.SessionStartAsync(driver, Network, new JsExchangeOptions { AllowIncoming = false });

        WireAssert.SameBytes("accepting session start", accepting, OurBytes.SessionStart(Network));
        WireAssert.SameBytes("non-accepting session start", closed, OurBytes.SessionStart(Network, accepting: false));
    }

    [SkippableFact]
    public async Task Our_node_must_start_an_accepted_session_with_the_reference_bytes()
    {
        await using var driver = await JsDriver.StartAsync();
        foreach (var allowIncoming in new[] { true, false })
        {
            var reference = await JsGoldenBytes.SessionStartAsync(driver, Network, new JsExchangeOptions { AllowIncoming = allowIncoming });
            await using var node = await OurNode.StartAsync(Network, new PeerExchangeOptions { AllowIncoming = allowIncoming }, referenceBytes: true);
            await using var socket = await RawSocket.ConnectAsync(node.Port);

            WireAssert.SameBytes($"session start, allowIncoming={allowIncoming}", reference, await socket.ReadExactlyAsync(reference.Length));
        }
    }

    [SkippableFact]
    public async Task Our_replies_must_equal_the_reference_replies()
    {
        await using var driver = await JsDriver.StartAsync();
        GoldenRequest[] requests =
        [
            new(OurBytes.SessionStart(Network), 0),
            new(OurBytes.Rpc(new GetPeers("1", Network)), 1),
            new(OurBytes.Rpc(new Connect("2", Network)), 1),
            // The reference closes the session after this one: it goes last.
            new(OurBytes.Rpc(new Relay("3", UnknownCandidate)), 1),
        ];
        var reference = await JsGoldenBytes.FromAcceptingNodeAsync(driver, Network, requests);

        // Our encoder, the texts taken from the reference's own replies.
        WireAssert.SameBytes("getpeers reply (encoder)", OurBytes.Rpc(new Response("1", Replies.Candidates([]))), reference.Replies[1]);
        WireAssert.SameBytes("connect reply (encoder)", OurBytes.Rpc(new Response("2", Replies.Ok)), reference.Replies[2]);
        var relayError = WireAssert.ResponseArgs(reference.Replies[3]).GetString()!;
        Assert.Contains(UnknownCandidate, relayError);
        WireAssert.SameBytes("relay error reply (encoder)", OurBytes.Rpc(new Response("3", Replies.Error(relayError))), reference.Replies[3]);

        // Our node, given the very same bytes.
        await using var node = await OurNode.StartAsync(Network, referenceBytes: true);
        await using var socket = await RawSocket.ConnectAsync(node.Port);
        await ExpectSameSessionAsync(socket, requests, reference);
    }

    [SkippableFact]
    public async Task Our_getpeers_error_for_an_unknown_network_must_equal_the_reference_and_close()
    {
        await using var driver = await JsDriver.StartAsync();
        GoldenRequest[] requests =
        [
            new(OurBytes.SessionStart(Network), 0),
            new(OurBytes.Rpc(new GetPeers("1", "elsewhere")), 1),
        ];
        var reference = await JsGoldenBytes.FromAcceptingNodeAsync(driver, Network, requests);
        var error = WireAssert.ResponseArgs(reference.Replies[1])[0].GetString()!;
        WireAssert.SameBytes("getpeers error reply (encoder)",
            OurBytes.Rpc(new Response("1", Replies.CandidatesError(error))), reference.Replies[1]);

        await using var node = await OurNode.StartAsync(Network, referenceBytes: true);
        await using var socket = await RawSocket.ConnectAsync(node.Port);
        await ExpectSameSessionAsync(socket, requests, reference);

        // The reference closes the session after this error; so do we.
        await socket.ReadToEndAsync();
    }

    [SkippableFact]
    public async Task A_connecting_node_of_ours_must_send_the_reference_requests()
    {
        await using var driver = await JsDriver.StartAsync();

        // The reference as the connecting node, against a plain socket in the driver.
        var jsNode = await driver.CreateExchangeAsync("connecting", Network);
        await using var capture = await driver.CaptureListenAsync();
        var jsPeer = await jsNode.StartConnectAsync(capture.Port!.Value);
        await capture.WaitAcceptedAsync();
        var jsStart = await capture.ReadSessionStartAsync();
        await capture.WriteAsync(OurBytes.SessionStart(Network));
        var jsConnect = await capture.ReadRpcMessagesAsync();
        await capture.WriteAsync(OurBytes.Rpc(new Response("1", Replies.Ok)));
        var jsCandidates = jsPeer.GetPeersAsync();
        var jsGetPeers = await capture.ReadRpcMessagesAsync();
        await capture.WriteAsync(CandidateReply("2"));
        var jsCandidate = Assert.Single(await jsCandidates);
        var jsRelay = jsPeer.RelayAsync(jsCandidate.Id);
        var jsRelayRequest = await capture.ReadRpcMessagesAsync();
        await capture.WriteAsync(OurBytes.Rpc(new Response("3", Replies.Ok)));
        await (await jsRelay).WriteTextAsync("through");
        // The relay is the third channel (pxp 0, data:test 1), announced with its first data.
        byte[] relayFrames = [.. OurBytes.Open(2, "relay:" + UnknownCandidate), .. OurBytes.Data(2, "through"u8)];
        var jsRelayed = await capture.ReadExactlyAsync(relayFrames.Length);

        WireAssert.SameBytes("connect (encoder)", OurBytes.Rpc(new Connect("1", Network)), jsConnect);
        WireAssert.SameBytes("getpeers (encoder)", OurBytes.Rpc(new GetPeers("2", Network)), jsGetPeers);
        WireAssert.SameBytes("relay (encoder)", OurBytes.Rpc(new Relay("3", UnknownCandidate)), jsRelayRequest);
        WireAssert.SameBytes("relayed data (encoder)", relayFrames, jsRelayed);

        // Our node in the same role, against a plain .NET socket, answered with the same bytes.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            await using var node = await OurNode.StartAsync(Network, listen: false, referenceBytes: true);
            var connecting = node.Exchange.ConnectAsync(node.UriOf(((IPEndPoint)listener.LocalEndpoint).Port));
            await using var socket = await RawSocket.AcceptAsync(listener);

            WireAssert.SameBytes("session start", jsStart, await socket.ReadExactlyAsync(jsStart.Length));
            await socket.WriteAsync(OurBytes.SessionStart(Network));
            WireAssert.SameBytes("connect", jsConnect, await socket.ReadExactlyAsync(jsConnect.Length));
            await socket.WriteAsync(OurBytes.Rpc(new Response("1", Replies.Ok)));
            var connection = await connecting;
            var peer = connection.Peer!;

            var candidates = node.Exchange.GetPeersAsync(peer);
            WireAssert.SameBytes("getpeers", jsGetPeers, await socket.ReadExactlyAsync(jsGetPeers.Length));
            await socket.WriteAsync(CandidateReply("2"));
            var candidate = Assert.Single(await candidates);
            Assert.Equal(UnknownCandidate, candidate.Id);

            var relay = node.Exchange.RelayAsync(peer, candidate);
            WireAssert.SameBytes("relay", jsRelayRequest, await socket.ReadExactlyAsync(jsRelayRequest.Length));
            await socket.WriteAsync(OurBytes.Rpc(new Response("3", Replies.Ok)));
            await using var relayed = (await relay).OpenStream();
            await relayed.WriteAsync("through"u8.ToArray());
            WireAssert.SameBytes("relayed data", jsRelayed, await socket.ReadExactlyAsync(jsRelayed.Length));
        }
        finally
        {
            listener.Stop();
        }
    }

    [SkippableFact]
    public async Task Our_hub_must_send_incoming_and_open_the_relay_as_the_reference_does()
    {
        await using var driver = await JsDriver.StartAsync();

        var jsHub = await driver.CreateExchangeAsync("hub", Network);
        var reference = await CaptureIncomingAsync(driver, await jsHub.ListenAsync(), "js-asker", jsHub.WaitForPeerCountAsync);

        await using var hub = await OurNode.StartAsync(Network, referenceBytes: true);
        var ours = await CaptureIncomingAsync(driver, hub.Port, "our-asker", (count, _) => hub.WaitForPeerCountAsync(count));

        foreach (var (who, captured) in new[] { ("reference", reference), ("our hub", ours) })
        {
            var incoming = Assert.IsType<Incoming>(WireAssert.Message(captured.IncomingRequest));
            Assert.Matches("^[0-9a-f]{8}$", incoming.RelayId);
            WireAssert.SameBytes($"incoming from {who} (encoder)", OurBytes.Rpc(new Incoming("1", incoming.RelayId)), captured.IncomingRequest);
            // The relay toward the candidate is the hub's second channel (after pxp), announced with the first relayed byte.
            WireAssert.SameBytes($"relayed byte from {who}",
                [.. OurBytes.Open(1, "relay:" + incoming.RelayId), .. OurBytes.Data(1, "x"u8)], captured.RelayedFrames);
        }
    }

    [SkippableFact]
    public async Task Our_hub_must_answer_getpeers_and_relay_before_the_relayed_bytes_as_the_reference_does()
    {
        await using var driver = await JsDriver.StartAsync();

        var jsHub = await driver.CreateExchangeAsync("hub", Network);
        var jsHubPort = await jsHub.ListenAsync();
        await (await driver.CreateExchangeAsync("target-of-js", Network)).ConnectAsync(jsHubPort);
        var reference = await CaptureRelayAskerAsync(driver, jsHubPort, jsHub.WaitForPeerCountAsync);

        await using var hub = await OurNode.StartAsync(Network, referenceBytes: true);
        await (await driver.CreateExchangeAsync("target-of-ours", Network)).ConnectAsync(hub.Port);
        var ours = await CaptureRelayAskerAsync(driver, hub.Port, (count, _) => hub.WaitForPeerCountAsync(count));

        foreach (var (who, captured) in new[] { ("reference", reference), ("our hub", ours) })
        {
            Assert.Matches("^[0-9a-f]{8}$", captured.CandidateId);
            WireAssert.SameBytes($"getpeers reply from {who} (encoder)",
                OurBytes.Rpc(new Response("1", Replies.Candidates([new Candidate(captured.CandidateId, Network, ConnectInfo.Accepting)]))),
                captured.GetPeersReply);
            // The asker registers relay:<id> only on the reply: bytes sent before it would be lost by a JS asker.
            WireAssert.SameBytes($"relay reply, then the target's magic, from {who}",
                RelayReplyThenMagic(captured.CandidateId), captured.RelayReplyAndFirstFrames);
        }
    }

    /// <summary>
    /// A plain socket joins the hub at <paramref name="hubPort"/> (which has one other peer), asks it
    /// getpeers and relays to the candidate. Returns the candidate id, the getpeers reply and the bytes
    /// up to the first relayed frame.
    /// </summary>
    private static async Task<(string CandidateId, byte[] GetPeersReply, byte[] RelayReplyAndFirstFrames)> CaptureRelayAskerAsync(
        JsDriver driver, int hubPort, Func<int, TimeSpan?, Task> waitForHubPeers)
    {
        await using var asker = await driver.CaptureConnectAsync(hubPort);
        await asker.ReadSessionStartAsync();
        await asker.WriteAsync(OurBytes.SessionStart(Network));
        await waitForHubPeers(2, null);

        await asker.WriteAsync(OurBytes.Rpc(new GetPeers("1", Network)));
        var getPeersReply = await asker.ReadRpcMessagesAsync();
        var offered = Replies.ReadCandidates(WireAssert.ResponseArgs(getPeersReply));
        var candidateId = Assert.Single(offered.Value!).Id;
        await asker.WriteAsync(OurBytes.Rpc(new Relay("2", candidateId)));
        var relayed = await asker.ReadExactlyAsync(RelayReplyThenMagic(candidateId).Length);
        return (candidateId, getPeersReply, relayed);
    }

    private static byte[] RelayReplyThenMagic(string candidateId) =>
    [
        .. OurBytes.Rpc(new Response("2", Replies.Ok)),
        .. OurBytes.Open(1, "relay:" + candidateId),
        .. OurBytes.Data(1, PxpMagic.Bytes),
    ];

    /// <summary>
    /// A plain socket joins the hub at <paramref name="hubPort"/> as an accepting peer; a JS node asks the
    /// hub to relay to it. Returns the hub's incoming request and the frames of the first relayed byte.
    /// </summary>
    private static async Task<(byte[] IncomingRequest, byte[] RelayedFrames)> CaptureIncomingAsync(
        JsDriver driver, int hubPort, string askerName, Func<int, TimeSpan?, Task> waitForHubPeers)
    {
        await using var candidate = await driver.CaptureConnectAsync(hubPort);
        await candidate.ReadSessionStartAsync();
        await candidate.WriteAsync(OurBytes.SessionStart(Network));

        var asker = await driver.CreateExchangeAsync(askerName, Network);
        var hubAsSeenByAsker = (await asker.ConnectAsync(hubPort)).Peer!;
        await waitForHubPeers(2, null);
        var offered = Assert.Single(await hubAsSeenByAsker.GetPeersAsync());
        var relay = hubAsSeenByAsker.RelayAsync(offered.Id);

        var incomingRequest = await candidate.ReadRpcMessagesAsync();
        var nonce = WireAssert.Message(incomingRequest).Nonce;
        await candidate.WriteAsync(OurBytes.Rpc(new Response(nonce, Replies.Ok)));
        var relayed = await relay;
        await relayed.WriteTextAsync("x");
        var relayId = Assert.IsType<Incoming>(WireAssert.Message(incomingRequest)).RelayId;
        var expectedLength = OurBytes.Open(1, "relay:" + relayId).Length + OurBytes.Data(1, "x"u8).Length;
        var relayedFrames = await candidate.ReadExactlyAsync(expectedLength);
        await asker.CloseAsync();
        return (incomingRequest, relayedFrames);
    }

    private static byte[] CandidateReply(string nonce) =>
        OurBytes.Rpc(new Response(nonce, Replies.Candidates([new Candidate(UnknownCandidate, Network, ConnectInfo.Accepting)])));

    /// <summary>Writes the requests to our node and expects, byte for byte, what the reference wrote back.</summary>
    private static async Task ExpectSameSessionAsync(RawSocket socket, IReadOnlyList<GoldenRequest> requests, GoldenSession reference)
    {
        WireAssert.SameBytes("session start", reference.SessionStart, await socket.ReadExactlyAsync(reference.SessionStart.Length));
        for (var i = 0; i < requests.Count; i++)
        {
            await socket.WriteAsync(requests[i].Bytes);
            if (reference.Replies[i].Length > 0)
                WireAssert.SameBytes($"reply to request {i}", reference.Replies[i], await socket.ReadExactlyAsync(reference.Replies[i].Length));
        }
    }
}
