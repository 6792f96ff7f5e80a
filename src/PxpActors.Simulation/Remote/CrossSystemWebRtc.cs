using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Simulation.Links;
using PxpActors.Simulation.Remote.Internal;
using PxpActors.Simulation.WebRtc;
using AkkaSerialization = Akka.Serialization.Serialization;

namespace PxpActors.Simulation.Remote;

/// <summary>
/// Lets a <see cref="SimulatedWebRtc"/> reach nodes in other ActorSystems, in this process or others joined by Akka.Remote,
/// so getNewPeer between them upgrades over the simulated WebRTC instead of the real stack. The network's offers then carry
/// the id of the connection and the remote path of this system's WebRTC link endpoint; a node in another system that
/// answers such an offer dials a cross-system link to that endpoint, tagged with the offer's id, and both connections run
/// their data channels over it (frames of each channel's messages, in order). Connections between nodes of one network
/// stay in memory. Dispose it to stop the endpoint (links still open fail).
/// </summary>
public sealed class CrossSystemWebRtc : IAsyncDisposable
{
    /// <summary>The endpoint's actor name when none is given.</summary>
    public const string DefaultName = "pxp-webrtc-links";

    private readonly SimulatedWebRtc _network;
    private readonly IActorRef _endpoint;
    private readonly IActorRef _acceptor;
    private readonly ExtendedActorSystem _system;
    private readonly TimeSpan _dialTimeout;
    private volatile LinkConditions _conditions;

    private CrossSystemWebRtc(ActorSystem system, SimulatedWebRtc network, LinkConditions conditions, CrossSystemLinkSettings? settings, string name)
    {
        _system = (ExtendedActorSystem)system;
        _network = network;
        _conditions = conditions;
        _endpoint = LinkEndpoint.Start(system, settings, name);
        // The endpoint answers a dial once its offer is accepted or has expired: wait that long, and a little more.
        _dialTimeout = (settings ?? CrossSystemLinkSettings.Default).OfferTimeout + TimeSpan.FromSeconds(5);
        _acceptor = system.ActorOf(Props.Create(() => new WebRtcLinkAcceptorActor(network)), $"{name}-acceptor");
        _endpoint.Tell(new LinkEndpoint.Subscribe(_acceptor), _acceptor);
        EndpointPath = AkkaSerialization.SerializedActorPath(_endpoint);
        Materializer = ActorMaterializer.Create(system, namePrefix: "pxp-webrtc-links");
    }

    /// <summary>
    /// Starts <paramref name="network"/>'s reach into other systems from <paramref name="system"/> (which must be configured
    /// by <see cref="RemoteSimulationConfig"/> to be reachable): a link endpoint named <paramref name="name"/> and its acceptor.
    /// </summary>
    /// <param name="system">The system the endpoint runs in (the nodes' system).</param>
    /// <param name="network">The simulated WebRTC of the nodes in this system.</param>
    /// <param name="conditions">Latency, jitter and bandwidth of the links this side dials (each direction); perfect by default.</param>
    /// <param name="settings">The links' offer and materialize timeouts.</param>
    /// <param name="name">The endpoint's actor name, unique in the system.</param>
    public static CrossSystemWebRtc Start(ActorSystem system, SimulatedWebRtc network, LinkConditions? conditions = null,
        CrossSystemLinkSettings? settings = null, string name = DefaultName)
    {
        if (network.CrossSystem is not null) throw new InvalidOperationException("The simulated WebRTC reaches other systems already");
        var crossSystem = new CrossSystemWebRtc(system, network, conditions ?? LinkConditions.Perfect, settings, name);
        network.CrossSystem = crossSystem;
        return crossSystem;
    }

    /// <summary>The link endpoint other systems dial to reach this network's offers.</summary>
    public IActorRef Endpoint => _endpoint;

    /// <summary>
    /// The conditions of links dialed from now on by this side (applied on both directions at the dialing side, as
    /// <see cref="LinkEndpoint.Dial"/>'s do); read per chunk, so a change reaches links already running.
    /// </summary>
    public LinkConditions Conditions
    {
        get => _conditions;
        set => _conditions = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The endpoint's full remote path, as offers carry it.</summary>
    internal string EndpointPath { get; }

    /// <summary>Runs the carriers of the links.</summary>
    internal IMaterializer Materializer { get; }

    /// <summary>The link sides the endpoint holds (0 once every cross-system connection has ended on this side).</summary>
    public async Task<int> LinkCountAsync(TimeSpan? timeout = null) =>
        (await _endpoint.Ask<LinkEndpoint.LinkCount>(LinkEndpoint.GetLinkCount.Instance, timeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false)).Open;

    /// <summary>Dials a link for a connection answering an offer made behind <paramref name="endpointPath"/>.</summary>
    internal Task<Flow<ByteString, ByteString, NotUsed>> DialAsync(string endpointPath, WebRtcLinkTag tag)
    {
        var remote = _system.Provider.ResolveActorRef(endpointPath);
        Flow<ByteString, ByteString, NotUsed>? shaped = _conditions.IsPerfect ? null : LinkConditionsFlow.Create(() => _conditions, _network.Clock);
        return CrossSystemLink.DialAsync(_endpoint, remote, tag.Format(), shaped, shaped, _dialTimeout);
    }

    /// <summary>Ends a link nobody will use: the other side's flow fails with <paramref name="reason"/>.</summary>
    internal void Refuse(Flow<ByteString, ByteString, NotUsed> link, string reason) =>
        Source.Failed<ByteString>(new CrossSystemLinkException(reason)).Via(link).RunWith(Sink.Ignore<ByteString>(), Materializer);

    /// <summary>Stops the endpoint and its acceptor; the network reaches no other system any more.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_network.CrossSystem == this) _network.CrossSystem = null;
        await Task.WhenAll(_acceptor.GracefulStop(TimeSpan.FromSeconds(10)), _endpoint.GracefulStop(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        (Materializer as ActorMaterializer)?.Shutdown();
    }
}
