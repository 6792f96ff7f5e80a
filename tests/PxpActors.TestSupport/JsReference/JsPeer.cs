using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.JsReference;

/// <summary>One pxp Peer object (a PXP session) inside a JS exchange.</summary>
public sealed record JsPeer(JsDriver Driver, string Exchange, int Id)
{
    /// <summary>"tcp", "relay", "webrtc" or "stream".</summary>
    public Task<string> TransportAsync() => Driver.PeerTransportAsync(Id);

    /// <summary>The reference's peer.getPeers(network) with its own validation of the answer.</summary>
    public async Task<IReadOnlyList<JsCandidate>> GetPeersAsync(string? network = null)
    {
        var command = new JsonObject { ["peer"] = Id };
        if (network is not null)
        {
            command["network"] = network;
        }

        var reply = await Driver.SendAsync("getPeers", command).ConfigureAwait(false);
        return reply["candidates"]!.AsArray().Select(c => JsCandidate.From(c!)).ToArray();
    }

    /// <summary>
    /// A raw pxp request: <paramref name="arguments"/> go on the wire exactly as given (a bare string
    /// for getpeers/connect, an array for relay/incoming); returns the raw args of the res.
    /// </summary>
    public async Task<JsonNode?> RequestAsync(string command, JsonNode? arguments, TimeSpan? timeout = null)
    {
        var reply = await Driver.SendAsync(
            "request",
            new JsonObject { ["peer"] = Id, ["command"] = command, ["args"] = arguments?.DeepClone() },
            timeout).ConfigureAwait(false);
        return reply["args"]?.DeepClone();
    }

    /// <summary>A raw pxp message the reference sends without waiting for a res (e.g. upgrade).</summary>
    public Task SendWithoutReplyAsync(string command, JsonNode? arguments) =>
        Driver.SendAsync(
            "request",
            new JsonObject { ["peer"] = Id, ["command"] = command, ["args"] = arguments?.DeepClone(), ["expectReply"] = false });

    /// <summary>The reference's peer.relay(candidate): the relayed byte stream as a connection.</summary>
    public async Task<JsConnection> RelayAsync(string candidateId)
    {
        var reply = await Driver.SendAsync(
            "relay", new JsonObject { ["name"] = Exchange, ["peer"] = Id, ["candidate"] = candidateId }).ConfigureAwait(false);
        return new JsConnection(Driver, Exchange, reply["conn"]!.GetValue<int>(), null);
    }

    /// <summary>The reference's peer.connect(network) once the peer is ready: the application connection, or the reference's error.</summary>
    public async Task<JsConnection> ConnectAsync(string network, TimeSpan? timeout = null)
    {
        var reply = await Driver.SendAsync("peerConnect", new JsonObject { ["peer"] = Id, ["network"] = network }, timeout)
            .ConfigureAwait(false);
        return Driver.Connection(Exchange, reply);
    }

    /// <summary>The reference's peer.close().</summary>
    public Task CloseAsync() => Driver.SendAsync("closePeer", new JsonObject { ["peer"] = Id });

    /// <summary>Destroys the socket under the peer (the reference's "disconnect by socket destroy").</summary>
    public Task DestroySocketAsync() => Driver.SendAsync("destroyPeerSocket", new JsonObject { ["peer"] = Id });

    /// <summary>The peer's hello was received: returns the peerReady event (remoteConnectInfo, remoteNetworks).</summary>
    public Task<JsEvent> WaitReadyAsync(TimeSpan? timeout = null) =>
        Driver.Events.WaitForAsync(e => e.Kind == "peerReady" && e.Peer == Id, timeout ?? JsDriver.DefaultTimeout, $"peer {Id} to be ready");

    public Task<JsEvent> WaitDisconnectedAsync(TimeSpan? timeout = null) =>
        Driver.Events.WaitForAsync(e => e.Kind == "peerDisconnect" && e.Peer == Id, timeout ?? JsDriver.DefaultTimeout, $"peer {Id} to disconnect");

    /// <summary>The first error the reference raised on this peer (its message is the reference's).</summary>
    public Task<JsEvent> WaitErrorAsync(TimeSpan? timeout = null) =>
        Driver.Events.WaitForAsync(e => e.Kind == "peerError" && e.Peer == Id, timeout ?? JsDriver.DefaultTimeout, $"an error on peer {Id}");
}
