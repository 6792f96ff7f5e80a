using System.Collections.Concurrent;
using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Simulation.Links;
using PxpActors.Simulation.Remote;
using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Simulation.WebRtc;

/// <summary>
/// A simulated WebRTC network: peer connections that exchange simple-peer signals like the real ones (an offer, an answer,
/// over the relayed session) but connect in memory, with no UDP, ICE or DTLS, and data channels that are in-memory message
/// pipes. Each node gets its own factory (<see cref="FactoryFor"/>), plugged in through <c>PeerExchangeOptions.WebRtc</c>.
/// Connections can be made to fail or come up late (<see cref="Behavior"/>), refused between nodes (<see cref="CanConnect"/>,
/// as a partition does) and cut (<see cref="Cut"/>). With <see cref="CrossSystemWebRtc"/> started for it, its connections also
/// reach nodes in other ActorSystems (other processes too): offers carry this system's link endpoint, and a connection
/// answered elsewhere runs its channels over a cross-system link; connections within this network stay in memory.
/// </summary>
public sealed class SimulatedWebRtc
{
    private readonly ConcurrentDictionary<string, SimulatedPeerConnection> _offers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SimulatedPeerConnection> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SimulatedPeerConnection, byte> _open = new();
    private readonly ConcurrentDictionary<SimulatedDataChannel, (string A, string B)> _channels = new();
    private volatile SimulatedWebRtcBehavior _behavior;

    /// <param name="clock">The clock of <see cref="SimulatedWebRtcBehavior.ConnectDelay"/> (the system's by default).</param>
    /// <param name="behavior">How connections come up; by default at once, never failing.</param>
    public SimulatedWebRtc(TimeProvider? clock = null, SimulatedWebRtcBehavior? behavior = null)
    {
        Clock = clock ?? TimeProvider.System;
        _behavior = behavior ?? SimulatedWebRtcBehavior.Immediate;
    }

    /// <summary>The clock connection delays are measured on.</summary>
    public TimeProvider Clock { get; }

    /// <summary>How new connections come up (delay, failure rate); a change applies to connections not yet up.</summary>
    public SimulatedWebRtcBehavior Behavior
    {
        get => _behavior;
        set => _behavior = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Whether two nodes (by name) can reach each other directly; null lets everyone. A connection between nodes that cannot
    /// fails as ICE would find no path. The simulation sets it for partitions.
    /// </summary>
    public Func<string, string, bool>? CanConnect { get; set; }

    /// <summary>Peer connections made and not yet closed (a leak check: 0 once every node has closed).</summary>
    public int OpenConnections => _open.Count;

    /// <summary>Data channels open (each a pair of ends).</summary>
    public int OpenChannels => _channels.Count;

    /// <summary>The data channels open between nodes, as pairs of node names.</summary>
    public IReadOnlyList<(string A, string B)> Channels => [.. _channels.Values];

    /// <summary>How this network reaches other ActorSystems, once <see cref="CrossSystemWebRtc.Start"/> was called for it; else null.</summary>
    public CrossSystemWebRtc? CrossSystem { get; internal set; }

    /// <summary>The factory node <paramref name="node"/>'s exchange makes its peer connections with.</summary>
    public IWebRtcPeerConnectionFactory FactoryFor(string node) => new NodeFactory(this, node);

    /// <summary>Cuts every open data channel between nodes for which <paramref name="between"/> is true: both ends fail.</summary>
    public int Cut(Func<string, string, bool> between, string reason = "the simulated WebRTC link was cut")
    {
        var cut = 0;
        foreach (var (channel, (a, b)) in _channels)
        {
            if (!between(a, b)) continue;
            channel.Cut(new LinkCutException(reason));
            cut++;
        }
        return cut;
    }

    internal void Offered(string id, SimulatedPeerConnection initiator)
    {
        _offers[id] = initiator;
        _open[initiator] = 0;
    }

    internal void Created(SimulatedPeerConnection connection) => _open[connection] = 0;

    internal SimulatedPeerConnection? FindOffer(string id) => _offers.GetValueOrDefault(id);

    internal void Answered(string id, SimulatedPeerConnection responder) => _answers[id] = responder;

    internal SimulatedPeerConnection? FindAnswer(string id) => _answers.GetValueOrDefault(id);

    internal void Track(SimulatedDataChannel end, string a, string b) => _channels[end] = (a, b);

    internal void ChannelClosed(SimulatedDataChannel end) => _channels.TryRemove(end, out _);

    internal void Closed(SimulatedPeerConnection connection, string? id)
    {
        _open.TryRemove(connection, out _);
        if (id is null) return;
        _offers.TryRemove(new KeyValuePair<string, SimulatedPeerConnection>(id, connection));
        _answers.TryRemove(new KeyValuePair<string, SimulatedPeerConnection>(id, connection));
    }

    /// <summary>Brings a pair up, after the behaviour's delay, or fails both.</summary>
    internal async Task ConnectAsync(SimulatedPeerConnection initiator, SimulatedPeerConnection responder)
    {
        var behavior = Behavior;
        if (behavior.ConnectDelay > TimeSpan.Zero) await Task.Delay(behavior.ConnectDelay, Clock).ConfigureAwait(false);
        string? failure = null;
        if (CanConnect is { } can && !can(initiator.Node, responder.Node))
            failure = $"No path between {initiator.Node} and {responder.Node} (partitioned)";
        else if (behavior.FailureRate > 0 && Random.Shared.NextDouble() < behavior.FailureRate)
            failure = "The simulated WebRTC connection failed (failure rate)";
        if (failure is null)
        {
            initiator.SetConnected(new MemoryChannelCarrier(this, initiator, responder));
            responder.SetConnected(new MemoryChannelCarrier(this, responder, initiator));
        }
        else
        {
            initiator.Fail(new PeerConnectionException(failure));
            responder.Fail(new PeerConnectionException(failure));
        }
    }

    /// <summary>
    /// Brings up a connection answering <paramref name="offer"/>, made in another system: after the behaviour's delay, dials a
    /// link to the offering system's endpoint (which hands it to the offering connection), or tells that side why it failed.
    /// </summary>
    internal async Task ConnectAcrossAsync(SimulatedPeerConnection responder, SimulatedDescription offer)
    {
        var crossSystem = CrossSystem ?? throw new InvalidOperationException("The network reaches no other system");
        var behavior = Behavior;
        if (behavior.ConnectDelay > TimeSpan.Zero) await Task.Delay(behavior.ConnectDelay, Clock).ConfigureAwait(false);
        string? failure = null;
        if (CanConnect is { } can && !can(offer.Node, responder.Node))
            failure = $"No path between {offer.Node} and {responder.Node} (partitioned)";
        else if (behavior.FailureRate > 0 && Random.Shared.NextDouble() < behavior.FailureRate)
            failure = "The simulated WebRTC connection failed (failure rate)";
        Flow<ByteString, ByteString, NotUsed> link;
        try
        {
            link = await crossSystem.DialAsync(offer.Endpoint!, new WebRtcLinkTag(offer.Id, responder.Node, failure)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            responder.Fail(new PeerConnectionException($"No link to {offer.Node}'s system: {e.GetBaseException().Message}", e));
            return;
        }
        if (failure is not null)
        {
            crossSystem.Refuse(link, failure);
            responder.Fail(new PeerConnectionException(failure));
            return;
        }
        Attach(responder, offer.Node, link, crossSystem);
    }

    /// <summary>A link another system dialed for an offer of ours: the offering connection's channels run over it.</summary>
    internal void AcceptLink(string tag, Flow<ByteString, ByteString, NotUsed> link)
    {
        var crossSystem = CrossSystem!;
        var parsed = WebRtcLinkTag.Parse(tag);
        if (FindOffer(parsed.OfferId) is not { } initiator)
        {
            crossSystem.Refuse(link, $"No simulated connection offered as {parsed.OfferId} (closed meanwhile)");
            return;
        }
        if (parsed.Failure is { } failure)
        {
            crossSystem.Refuse(link, failure);
            initiator.Fail(new PeerConnectionException(failure));
            return;
        }
        Attach(initiator, parsed.AnsweringNode, link, crossSystem);
    }

    private void Attach(SimulatedPeerConnection connection, string remoteNode, Flow<ByteString, ByteString, NotUsed> link, CrossSystemWebRtc crossSystem)
    {
        var carrier = new LinkChannelCarrier(connection, this, remoteNode);
        if (connection.SetConnected(carrier)) carrier.Run(link, crossSystem.Materializer);
        else crossSystem.Refuse(link, "The simulated WebRTC connection closed before its link came");
    }

    private sealed class NodeFactory(SimulatedWebRtc network, string node) : IWebRtcPeerConnectionFactory
    {
        public IWebRtcPeerConnection Create(PeerConnectionOptions options) => new SimulatedPeerConnection(network, node, options.Initiator);
    }
}
