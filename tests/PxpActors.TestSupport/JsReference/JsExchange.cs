using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.JsReference;

/// <summary>A peer-exchange Swarm living in a <see cref="JsDriver"/>, addressed by its name.</summary>
public sealed class JsExchange
{
    internal JsExchange(JsDriver driver, string name, string network, JsonNode? connectInfo)
    {
        Driver = driver;
        Name = name;
        Network = network;
        ConnectInfo = connectInfo;
    }

    public JsDriver Driver { get; }

    public string Name { get; }

    public string Network { get; }

    /// <summary>What the exchange sends in its hello: {"pxp":true,...}, or null when not accepting incoming.</summary>
    public JsonNode? ConnectInfo { get; }

    /// <summary>Listens on 127.0.0.1, port 0; every accepted socket goes to the reference's accept(). Returns the port.</summary>
    public async Task<int> ListenAsync()
    {
        var reply = await Driver.SendAsync("listen", new JsonObject { ["name"] = Name }).ConfigureAwait(false);
        return reply["port"]!.GetValue<int>();
    }

    /// <summary>The reference's connect() over a new TCP socket; completes with the application connection.</summary>
    public async Task<JsConnection> ConnectAsync(int port, string host = "127.0.0.1", TimeSpan? timeout = null)
    {
        var reply = await Driver.SendAsync(
            "connect", new JsonObject { ["name"] = Name, ["host"] = host, ["port"] = port }, timeout).ConfigureAwait(false);
        return Driver.Connection(Name, reply);
    }

    /// <summary>
    /// The reference's connect() over a new TCP socket, returning as soon as the socket is up: for
    /// sessions a test drives by hand (the peer's outcome shows in the events).
    /// </summary>
    public async Task<JsPeer> StartConnectAsync(int port, string host = "127.0.0.1")
    {
        var reply = await Driver.SendAsync(
            "connect", new JsonObject { ["name"] = Name, ["host"] = host, ["port"] = port, ["wait"] = false })
            .ConfigureAwait(false);
        return new JsPeer(Driver, Name, reply["peer"]!.GetValue<int>());
    }

    /// <summary>
    /// Serves websocket-stream on 127.0.0.1, port 0 (wss:// with the PEM files <paramref name="certificate"/> and
    /// <paramref name="key"/>); every accepted stream goes to the reference's accept(). Returns the port.
    /// </summary>
    public async Task<int> WebSocketListenAsync(string? certificate = null, string? key = null)
    {
        var command = new JsonObject { ["name"] = Name };
        if (certificate is not null)
        {
            command["cert"] = certificate;
            command["key"] = key;
        }
        var reply = await Driver.SendAsync("wsListen", command).ConfigureAwait(false);
        return reply["port"]!.GetValue<int>();
    }

    /// <summary>
    /// The reference's connect() over websocket-stream to <paramref name="url"/> (trusting the PEM file <paramref name="ca"/>);
    /// completes with the application connection, or throws with the reference's or the socket's error.
    /// </summary>
    public async Task<JsConnection> WebSocketConnectAsync(Uri url, string? ca = null, TimeSpan? timeout = null)
    {
        var command = new JsonObject { ["name"] = Name, ["url"] = url.ToString() };
        if (ca is not null) command["ca"] = ca;
        var reply = await Driver.SendAsync("wsConnect", command, timeout).ConfigureAwait(false);
        return Driver.Connection(Name, reply);
    }

    /// <summary>The reference's getNewPeer(); completes with the new connection or throws with the reference's error.</summary>
    public async Task<JsConnection> GetNewPeerAsync(TimeSpan? timeout = null)
    {
        var reply = await Driver.SendAsync("getNewPeer", new JsonObject { ["name"] = Name }, timeout).ConfigureAwait(false);
        return Driver.Connection(Name, reply);
    }

    /// <summary>The exchange's current peers (swarm.peers).</summary>
    public async Task<IReadOnlyList<JsPeer>> PeersAsync()
    {
        var reply = await Driver.SendAsync("peers", new JsonObject { ["name"] = Name }).ConfigureAwait(false);
        return reply["peers"]!.AsArray().Select(p => new JsPeer(Driver, Name, p!.GetValue<int>())).ToArray();
    }

    /// <summary>The first application connection (already opened or still to come) on this exchange that matches.</summary>
    public async Task<JsConnection> WaitForConnectionAsync(Func<JsConnection, bool>? match = null, TimeSpan? timeout = null)
    {
        var connection = await Driver.Events.WaitForAsync(
            e => e.Kind == "connection" && e.Exchange == Name &&
                 (match is null || match(new JsConnection(Driver, Name, e.Conn!.Value, e.Peer))),
            timeout ?? JsDriver.DefaultTimeout,
            $"a connection on exchange {Name}").ConfigureAwait(false);
        return new JsConnection(Driver, Name, connection.Conn!.Value, connection.Peer);
    }

    /// <summary>The first application connection on this exchange whose pxp peer runs over <paramref name="transport"/> ("tcp", "relay", "webrtc").</summary>
    public async Task<JsConnection> WaitForConnectionOverAsync(string transport, TimeSpan? timeout = null)
    {
        var connection = await Driver.Events.WaitForAsync(
            all =>
            {
                var peersOverTransport = all
                    .Where(e => e.Kind == "peerCreated" && e.Exchange == Name && e.Body["transport"]?.GetValue<string>() == transport)
                    .Select(e => e.Peer)
                    .ToHashSet();
                var match = all.FirstOrDefault(e => e.Kind == "connection" && e.Exchange == Name && peersOverTransport.Contains(e.Peer));
                return (match is not null, match!);
            },
            timeout ?? JsDriver.DefaultTimeout,
            $"a {transport} connection on exchange {Name}").ConfigureAwait(false);
        return new JsConnection(Driver, Name, connection.Conn!.Value, connection.Peer);
    }

    /// <summary>Waits until swarm.peers has <paramref name="count"/> entries, judged by the reference's peer/disconnect events.</summary>
    public Task WaitForPeerCountAsync(int count, TimeSpan? timeout = null) =>
        Driver.Events.WaitForAsync(
            all =>
            {
                var last = all.LastOrDefault(e => e.Exchange == Name && e.Kind is "peer" or "disconnect");
                return (last?.Body["peers"]?.GetValue<int>() == count, true);
            },
            timeout ?? JsDriver.DefaultTimeout,
            $"exchange {Name} to have {count} peers");

    /// <summary>The reference's close(), and its listeners stop.</summary>
    public Task CloseAsync() => Driver.SendAsync("close", new JsonObject { ["name"] = Name });
}
