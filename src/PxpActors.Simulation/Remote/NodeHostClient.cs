using Akka.Actor;

namespace PxpActors.Simulation.Remote;

/// <summary>The async face of a <see cref="NodeHost"/>, local or in another system: each call asks with a timeout.</summary>
public sealed class NodeHostClient
{
    private readonly TimeSpan _timeout;

    /// <param name="host">The host actor (a remote reference for a host in another system).</param>
    /// <param name="timeout">How long each request may take (default 60 s: getNewPeer may retry its upgrade).</param>
    public NodeHostClient(IActorRef host, TimeSpan? timeout = null)
    {
        Host = host;
        _timeout = timeout ?? TimeSpan.FromSeconds(60);
    }

    /// <summary>The host actor.</summary>
    public IActorRef Host { get; }

    /// <summary>The host started with <see cref="NodeHost.Start"/> in the system at <paramref name="address"/>, as seen from <paramref name="system"/>.</summary>
    public static async Task<NodeHostClient> ResolveAsync(ActorSystem system, Address address, string name = NodeHost.DefaultName,
        TimeSpan? timeout = null) =>
        new(await system.ActorSelection(new RootActorPath(address) / "user" / name).ResolveOne(TimeSpan.FromSeconds(10))
            .ConfigureAwait(false), timeout);

    /// <summary>Creates a node; returns its node id.</summary>
    public async Task<string> CreateNodeAsync(string name, int targetPeers = 0) =>
        (await AskAsync<NodeHost.NodeCreated>(new NodeHost.CreateNode(name, targetPeers)).ConfigureAwait(false)).NodeId;

    /// <summary>The host's link endpoint.</summary>
    public async Task<IActorRef> EndpointAsync() => (await AskAsync<NodeHost.Endpoint>(new NodeHost.GetEndpoint()).ConfigureAwait(false)).Ref;

    /// <summary>Connects node <paramref name="name"/> to <paramref name="remoteNode"/> of another host; returns the peer's node id.</summary>
    public async Task<string> ConnectAsync(string name, NodeHostClient remoteHost, string remoteNode) =>
        (await AskAsync<NodeHost.NodeConnected>(new NodeHost.ConnectNode(name, await remoteHost.EndpointAsync().ConfigureAwait(false), remoteNode))
            .ConfigureAwait(false)).PeerNodeId;

    /// <summary>Connects node <paramref name="name"/> to <paramref name="remoteNode"/> of the host whose link endpoint is <paramref name="remoteEndpoint"/>.</summary>
    public async Task<string> ConnectAsync(string name, IActorRef remoteEndpoint, string remoteNode) =>
        (await AskAsync<NodeHost.NodeConnected>(new NodeHost.ConnectNode(name, remoteEndpoint, remoteNode)).ConfigureAwait(false)).PeerNodeId;

    /// <summary>Each node's number of direct peers, in the order created.</summary>
    public async Task<IReadOnlyList<int>> DegreesAsync() =>
        (await AskAsync<NodeHost.Degrees>(new NodeHost.GetDegrees()).ConfigureAwait(false)).Direct;

    /// <summary>Closes every node of the host, which stays up; returns how many.</summary>
    public async Task<int> CloseNodesAsync() => (await AskAsync<NodeHost.NodesClosed>(new NodeHost.CloseNodes()).ConfigureAwait(false)).Closed;

    /// <summary>What the host holds open.</summary>
    public Task<NodeHost.Census> CensusAsync() => AskAsync<NodeHost.Census>(new NodeHost.GetCensus());

    /// <summary>Runs getNewPeer on node <paramref name="name"/>.</summary>
    public Task<NodeHost.NewPeer> GetNewPeerAsync(string name) => AskAsync<NodeHost.NewPeer>(new NodeHost.GetNewPeer(name));

    /// <summary>Sends <paramref name="text"/> to <paramref name="peerNodeId"/> on a connection the node opened; returns what came back.</summary>
    public async Task<string> SendTextAsync(string name, string peerNodeId, string text) =>
        (await AskAsync<NodeHost.Echoed>(new NodeHost.SendText(name, peerNodeId, text)).ConfigureAwait(false)).Text;

    /// <summary>Node <paramref name="name"/>'s peers.</summary>
    public async Task<IReadOnlyList<NodeHost.PeerSummary>> ListPeersAsync(string name) =>
        (await AskAsync<NodeHost.PeerList>(new NodeHost.ListPeers(name)).ConfigureAwait(false)).Peers;

    /// <summary>Closes every node of the host and stops it.</summary>
    public Task ShutdownAsync() => AskAsync<NodeHost.ShutDown>(new NodeHost.Shutdown());

    private async Task<T> AskAsync<T>(object request)
    {
        var reply = await Host.Ask<object>(request, _timeout).ConfigureAwait(false);
        return reply switch
        {
            T answer => answer,
            NodeHost.Failed failed => throw new InvalidOperationException($"{request.GetType().Name} failed at {Host.Path}: {failed.Reason}"),
            _ => throw new InvalidOperationException($"{request.GetType().Name}: unexpected reply {reply}"),
        };
    }
}
