using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// Bare pxp Peer objects (no Swarm), the way pxp's own test suite builds them: any list of
/// networks and any connectInfo (null = not accepting incoming). The group's ready peers are each
/// other's getpeers candidates on shared networks. Events carry the group name as "exchange".
/// </summary>
public sealed class JsBarePeerGroup
{
    internal JsBarePeerGroup(JsDriver driver, string name, IReadOnlyList<string> networks, JsonNode? connectInfo)
    {
        Driver = driver;
        Name = name;
        Networks = networks;
        ConnectInfo = connectInfo;
    }

    public JsDriver Driver { get; }

    public string Name { get; }

    public IReadOnlyList<string> Networks { get; }

    public JsonNode? ConnectInfo { get; }

    /// <summary>A bare Peer over a new TCP socket to host:port (outgoing; it does not send connect by itself).</summary>
    public async Task<JsPeer> ConnectAsync(int port, string host = "127.0.0.1")
    {
        var command = Describe();
        command["host"] = host;
        command["port"] = port;
        var reply = await Driver.SendAsync("rawConnect", command).ConfigureAwait(false);
        return new JsPeer(Driver, Name, reply["peer"]!.GetValue<int>());
    }

    /// <summary>A bare Peer over websocket-stream to <paramref name="url"/> (ws:// or wss://, trusting the PEM file <paramref name="ca"/>).</summary>
    public async Task<JsPeer> ConnectAsync(Uri url, string? ca = null)
    {
        var command = Describe();
        command["url"] = url.ToString();
        if (ca is not null) command["ca"] = ca;
        var reply = await Driver.SendAsync("rawConnect", command).ConfigureAwait(false);
        return new JsPeer(Driver, Name, reply["peer"]!.GetValue<int>());
    }

    /// <summary>Listens on 127.0.0.1, port 0; every accepted socket becomes a bare Peer of this group.</summary>
    public async Task<int> ListenAsync()
    {
        var reply = await Driver.SendAsync("rawListen", Describe()).ConfigureAwait(false);
        return reply["port"]!.GetValue<int>();
    }

    /// <summary>The first application connection (already opened or still to come) of this group's peers.</summary>
    public async Task<JsConnection> WaitForConnectionAsync(TimeSpan? timeout = null)
    {
        var connection = await Driver.Events.WaitForAsync(
            e => e.Kind == "connection" && e.Exchange == Name,
            timeout ?? JsDriver.DefaultTimeout,
            $"a connection in bare peer group {Name}").ConfigureAwait(false);
        return Driver.ConnectionFrom(connection);
    }

    /// <summary>Closes every peer of the group and its listeners.</summary>
    public Task CloseAsync() => Driver.SendAsync("rawClose", new JsonObject { ["group"] = Name });

    private JsonObject Describe() => new()
    {
        ["group"] = Name,
        ["networks"] = new JsonArray(Networks.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
        ["connectInfo"] = ConnectInfo?.DeepClone(),
    };
}
