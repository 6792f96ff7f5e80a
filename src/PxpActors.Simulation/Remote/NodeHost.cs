using Akka.Actor;
using PxpActors.Simulation.Remote.Internal;

namespace PxpActors.Simulation.Remote;

/// <summary>
/// An actor that hosts PXP nodes in its ActorSystem on request, so that a simulation can place nodes in several systems,
/// in this process or in others joined by Akka.Remote. Its messages cross systems (<see cref="IRemoteSimulationMessage"/>);
/// every request is answered with its reply or <see cref="Failed"/>. It has a <see cref="LinkEndpoint"/> of its own
/// (<see cref="GetEndpoint"/>): links dialed to it with a node's name as tag become that node's incoming sessions. Its nodes
/// echo every byte received on connections they did not open; <see cref="SendText"/> writes on those they opened.
/// Stopping the host closes its nodes. Its nodes upgrade over the real WebRTC stack, or, started with
/// <c>simulatedWebRtc</c>, over a <see cref="WebRtc.SimulatedWebRtc"/> of the host's that reaches other systems
/// (<see cref="CrossSystemWebRtc"/>): thousands of upgrades then cost what simulated ones do.
/// </summary>
public static class NodeHost
{
    /// <summary>The host's actor name, for <see cref="NodeHostClient.ResolveAsync"/>.</summary>
    public const string DefaultName = "pxp-node-host";

    /// <summary>The props of a host whose nodes join <paramref name="networkId"/>.</summary>
    /// <param name="networkId">The network every node joins.</param>
    /// <param name="linkSettings">The settings of the host's link endpoints.</param>
    /// <param name="simulatedWebRtc">Upgrade over a simulated WebRTC that reaches other systems, not the real stack.</param>
    public static Props Props(string networkId = "sim", CrossSystemLinkSettings? linkSettings = null, bool simulatedWebRtc = false) =>
        Akka.Actor.Props.Create(() => new NodeHostActor(networkId, (linkSettings ?? CrossSystemLinkSettings.Default).Validated(), simulatedWebRtc));

    /// <summary>Starts a host in <paramref name="system"/> under <c>/user/<paramref name="name"/></c>.</summary>
    public static IActorRef Start(ActorSystem system, string networkId = "sim", string name = DefaultName, bool simulatedWebRtc = false) =>
        system.ActorOf(Props(networkId, simulatedWebRtc: simulatedWebRtc), name);

    /// <summary>Creates a node named <paramref name="Name"/> keeping <paramref name="TargetPeers"/> peers (0 = no upkeep); answered with <see cref="NodeCreated"/>.</summary>
    public sealed record CreateNode(string Name, int TargetPeers = 0) : IRemoteSimulationMessage;

    /// <summary>The node exists, with the node id it announces.</summary>
    public sealed record NodeCreated(string Name, string NodeId) : IRemoteSimulationMessage;

    /// <summary>Asks for the host's link endpoint; answered with <see cref="Endpoint"/>.</summary>
    public sealed record GetEndpoint : IRemoteSimulationMessage;

    /// <summary>The host's link endpoint: dial it with a node's name as tag to reach that node.</summary>
    public sealed record Endpoint(IActorRef Ref) : IRemoteSimulationMessage;

    /// <summary>
    /// Connects node <paramref name="Name"/> to node <paramref name="RemoteNode"/> of the host whose endpoint is
    /// <paramref name="RemoteEndpoint"/>, over a cross-system link; answered with <see cref="NodeConnected"/>.
    /// </summary>
    public sealed record ConnectNode(string Name, IActorRef RemoteEndpoint, string RemoteNode) : IRemoteSimulationMessage;

    /// <summary>The session is up: node <paramref name="Name"/> reaches <paramref name="PeerNodeId"/>.</summary>
    public sealed record NodeConnected(string Name, string PeerNodeId) : IRemoteSimulationMessage;

    /// <summary>Runs getNewPeer on node <paramref name="Name"/>; answered with <see cref="NewPeer"/>.</summary>
    public sealed record GetNewPeer(string Name) : IRemoteSimulationMessage;

    /// <summary>getNewPeer reached <paramref name="PeerNodeId"/> over <paramref name="Transport"/> (webrtc after an upgrade).</summary>
    public sealed record NewPeer(string Name, string PeerNodeId, string Transport) : IRemoteSimulationMessage;

    /// <summary>
    /// Writes <paramref name="Text"/> on the connection node <paramref name="Name"/> opened to <paramref name="PeerNodeId"/>
    /// (by <see cref="ConnectNode"/> or <see cref="GetNewPeer"/>) and reads back as many bytes; answered with <see cref="Echoed"/>.
    /// </summary>
    public sealed record SendText(string Name, string PeerNodeId, string Text) : IRemoteSimulationMessage;

    /// <summary>What came back on the connection.</summary>
    public sealed record Echoed(string Name, string PeerNodeId, string Text) : IRemoteSimulationMessage;

    /// <summary>Asks for node <paramref name="Name"/>'s peers; answered with <see cref="PeerList"/>.</summary>
    public sealed record ListPeers(string Name) : IRemoteSimulationMessage;

    /// <summary>A node's peers whose handshake finished.</summary>
    public sealed record PeerList(string Name, IReadOnlyList<PeerSummary> Peers) : IRemoteSimulationMessage;

    /// <summary>One peer of a node: its node id, the transport its session runs over, whether it connected to us, and whether the session is relayed.</summary>
    public sealed record PeerSummary(string? NodeId, string Transport, bool Incoming, bool Relayed = false);

    /// <summary>Asks for the direct peers (over a link or WebRTC, not relayed) of every node; answered with <see cref="Degrees"/>.</summary>
    public sealed record GetDegrees : IRemoteSimulationMessage;

    /// <summary>Each node's number of direct peers, in the order the nodes were created.</summary>
    public sealed record Degrees(IReadOnlyList<int> Direct) : IRemoteSimulationMessage;

    /// <summary>Closes every node and forgets it, keeping the host; answered with <see cref="NodesClosed"/> once they are closed.</summary>
    public sealed record CloseNodes : IRemoteSimulationMessage;

    /// <summary>Every node is closed.</summary>
    public sealed record NodesClosed(int Closed) : IRemoteSimulationMessage;

    /// <summary>Asks what the host holds open; answered with <see cref="Census"/>.</summary>
    public sealed record GetCensus : IRemoteSimulationMessage;

    /// <summary>
    /// What the host holds open, to compare with an earlier census: its nodes, the link sides of its node links' endpoint and
    /// of its simulated WebRTC's endpoint, the simulated WebRTC connections and channels, and the actors under its system's
    /// user guardian (the guardian included).
    /// </summary>
    public sealed record Census(int Nodes, int LinkSides, int WebRtcLinkSides, int WebRtcConnections, int WebRtcChannels, int Actors)
        : IRemoteSimulationMessage;

    /// <summary>Closes every node and stops the host; answered with <see cref="ShutDown"/> once the nodes are closed.</summary>
    public sealed record Shutdown : IRemoteSimulationMessage;

    /// <summary>The host closed its nodes and stops.</summary>
    public sealed record ShutDown : IRemoteSimulationMessage;

    /// <summary>A request failed: <paramref name="Reason"/> says why.</summary>
    public sealed record Failed(string Reason) : IRemoteSimulationMessage;
}
