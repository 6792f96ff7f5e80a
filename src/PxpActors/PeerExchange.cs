using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Actors;
using PxpActors.Actors.Internal;
using PxpActors.Protocol.Rpc;
using PxpActors.Resources;
using PxpActors.Multiplexing;
using PxpActors.Relays;
using PxpActors.Transports;
using PxpActors.Ids;

namespace PxpActors;

/// <summary>
/// A PXP node on one network: the async face of an ExchangeActor. Add peers over any duplex stream
/// (<see cref="ConnectAsync(Stream, string, CancellationToken)"/> / <see cref="AcceptAsync(Stream, string, CancellationToken)"/>),
/// discover new ones with <see cref="GetNewPeerAsync"/>, and receive application connections.
/// Events are raised on an actor thread: keep handlers short.
/// </summary>
public sealed class PeerExchange : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly bool _ownsSystem;
    private readonly IActorRef _events;
    private readonly TimeSpan _askTimeout;
    private readonly object _gate = new();
    private readonly List<Uri> _listenAddresses = [];
    private volatile IReadOnlyList<PeerInfo> _peers = [];
    private int _closed;
    private Task? _closing;

    /// <param name="networkId">The network to join.</param>
    /// <param name="options">Overrides of the settings; null keeps the configuration's.</param>
    /// <param name="system">
    /// An application's ActorSystem to run in (its <c>pxp</c> config applies under <paramref name="options"/>); by default the
    /// exchange runs in a system of its own, terminated when it closes.
    /// </param>
    public PeerExchange(string networkId, PeerExchangeOptions? options = null, ActorSystem? system = null)
        : this(RequireNetwork(networkId), system, options)
    {
    }

    /// <summary>An exchange in an application's ActorSystem, configured by its <c>pxp</c> section (network: <c>pxp.network-id</c>).</summary>
    public PeerExchange(ActorSystem system, PeerExchangeOptions? options = null)
        : this(networkId: null, system ?? throw new ArgumentNullException(nameof(system)), options)
    {
    }

    private PeerExchange(string? networkId, ActorSystem? system, PeerExchangeOptions? options)
    {
        options ??= new PeerExchangeOptions();
        Settings = options.ToSettings(networkId, system?.Settings.Config);
        if (string.IsNullOrEmpty(Settings.NetworkId)) throw new ArgumentException("pxp.network-id must be a non-empty string");
        _ownsSystem = system is null;
        // Its own system logs warnings and errors unless options.Config says otherwise (akka.loglevel = INFO, say).
        _system = system ?? ActorSystem.Create("pxp", (options.Config ?? Config.Empty)
            .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING"))
            .WithFallback(PxpConfig.Reference));
        Materializer = _system.Materializer();
        _askTimeout = Settings.HandshakeTimeout + Settings.RequestTimeout * 2;
        Resources = new NodeResources(Settings.Limits);
        NodeId = NodeIds.Next();
        Actor = _system.ActorOf(PxpExchange.Props(Settings, options.CandidateSource, peers => _peers = peers, Resources,
            options.ToPlugins(NodeId)));
        _events = _system.ActorOf(Props.Create(() => new EventRelay(this)));
        Actor.Tell(new PxpExchange.Subscribe(_events));
    }

    /// <summary>The network this exchange's node belongs to.</summary>
    public string NetworkId => Settings.NetworkId;

    /// <summary>
    /// This node's id, random for each exchange, announced in its hello (a field JavaScript peers pass on and ignore): other
    /// PxpActors nodes see it as <see cref="PeerInfo.NodeId"/>, and getNewPeer never connects twice to one node.
    /// </summary>
    public string NodeId { get; }

    /// <summary>The addresses this exchange listens on, as bound (port 0 resolved), in the order they were started.</summary>
    public IReadOnlyList<Uri> ListenAddresses
    {
        get
        {
            lock (_gate) return [.. _listenAddresses];
        }
    }

    /// <summary>The settings the node runs with (options over config over the defaults).</summary>
    public ExchangeSettings Settings { get; }

    /// <summary>The ExchangeActor, for Akka users who prefer messages (<see cref="PxpExchange"/>).</summary>
    public IActorRef Actor { get; }

    /// <summary>The materializer for the application's streams over this node's connections.</summary>
    public IMaterializer Materializer { get; }

    /// <summary>The node-wide budget its sessions and transports draw on (pxp.limits); a snapshot is in the stats.</summary>
    public NodeResources Resources { get; }

    /// <summary>Peers whose handshake finished, as of the last change.</summary>
    public IReadOnlyList<PeerInfo> Peers => _peers;

    /// <summary>
    /// An application connection that no call returns opened (the reference's 'connect'): sessions accepted by
    /// <see cref="ListenAsync"/> or relayed to us, and peers added with <see cref="AddPeerAsync(Uri, CancellationToken)"/>. A connection is used once,
    /// so each has one owner: what <see cref="ConnectAsync(Uri, CancellationToken)"/>, <see cref="AcceptAsync(Stream, string, CancellationToken)"/>,
    /// <see cref="GetNewPeerAsync"/> or <see cref="RelayAsync"/> return is the caller's and is not raised here.
    /// </summary>
    public event Action<PxpConnection>? Connected;

    /// <summary>A peer's session finished its handshake.</summary>
    public event Action<PeerInfo>? PeerAdded;

    /// <summary>A peer's session ended: the exception says why, null for an orderly close.</summary>
    public event Action<PeerInfo, Exception?>? PeerRemoved;

    /// <summary>A session failed because of its peer or transport; only that session closed.</summary>
    public event Action<PeerInfo?, Exception>? PeerError;

    /// <summary>A listener failed to accept a connection (<see cref="Transports.ListenerException.Fatal"/> says whether it goes on); sessions' failures are <see cref="PeerError"/>.</summary>
    public event Action<Exception>? Error;

    /// <summary>Runs a PXP session as the dialing side over <paramref name="duplex"/>; completes with its application connection.</summary>
    public Task<PxpConnection> ConnectAsync(Stream duplex, string transportName = "stream", CancellationToken cancellationToken = default) =>
        AddPeerAsync(duplex, incoming: false, transportName, cancellationToken);

    /// <summary>Runs a PXP session as the dialing side over a byte flow; completes with its application connection.</summary>
    public Task<PxpConnection> ConnectAsync(Flow<ByteString, ByteString, NotUsed> duplex, string transportName = "stream",
        CancellationToken cancellationToken = default) =>
        AddPeerAsync(duplex, incoming: false, transportName, cancellationToken);

    /// <summary>Runs a PXP session as the accepting side over <paramref name="duplex"/>; completes with its application connection.</summary>
    public Task<PxpConnection> AcceptAsync(Stream duplex, string transportName = "stream", CancellationToken cancellationToken = default) =>
        AddPeerAsync(duplex, incoming: true, transportName, cancellationToken);

    /// <summary>Runs a PXP session as the accepting side over a byte flow; completes with its application connection.</summary>
    public Task<PxpConnection> AcceptAsync(Flow<ByteString, ByteString, NotUsed> duplex, string transportName = "stream",
        CancellationToken cancellationToken = default) =>
        AddPeerAsync(duplex, incoming: true, transportName, cancellationToken);

    /// <summary>
    /// Runs a PXP session over another session's connection, typically the relayed stream <see cref="RelayAsync"/>
    /// returned: like <see cref="ConnectAsync(Stream, string, CancellationToken)"/> over its stream, but the nested
    /// session's frames go into the carrying substream as they are written, with no stream or stage in between
    /// (over TCP, straight onto the socket). Uses up <paramref name="carrier"/>, as its Flow or Stream would.
    /// </summary>
    public Task<PxpConnection> ConnectAsync(PxpConnection carrier, string transportName = "relay", CancellationToken cancellationToken = default) =>
        AddPeerAsync(carrier, incoming: false, transportName, cancellationToken);

    /// <summary>As <see cref="ConnectAsync(PxpConnection, string, CancellationToken)"/>, taking the incoming side.</summary>
    public Task<PxpConnection> AcceptAsync(PxpConnection carrier, string transportName = "relay", CancellationToken cancellationToken = default) =>
        AddPeerAsync(carrier, incoming: true, transportName, cancellationToken);

    /// <summary>Dials a tcp:// address and connects to the PXP peer there.</summary>
    public async Task<PxpConnection> ConnectAsync(Uri address, CancellationToken cancellationToken = default)
    {
        var transport = TransportFor(address);
        var stream = await transport.ConnectAsync(address, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(stream, transport.Scheme, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Dials a tcp:// address and adds the PXP peer there, as the reference's <c>connect(stream)</c>: its application connection
    /// is raised by <see cref="Connected"/>, like an incoming one's. Returns the peer once its connection is open.
    /// </summary>
    public async Task<PeerInfo> AddPeerAsync(Uri address, CancellationToken cancellationToken = default)
    {
        var connection = await ConnectAsync(address, cancellationToken).ConfigureAwait(false);
        Actor.Tell(new PublishConnection(connection));
        return connection.Peer!;
    }

    /// <summary>Accepts peers on a tcp:// address (port 0: any free port) until the exchange closes.</summary>
    /// <remarks>The exchange actor holds the listener (<see cref="PxpExchange.Listen"/>); accepted sessions' connections go to <see cref="Connected"/>.</remarks>
    public async Task<Uri> ListenAsync(Uri address, CancellationToken cancellationToken = default)
    {
        if (_closed == 1) throw new InvalidOperationException("The exchange is closed");
        var listening = await AskAsync<PxpExchange.Listening>(new PxpExchange.Listen(address), cancellationToken).ConfigureAwait(false);
        lock (_gate) _listenAddresses.Add(listening.Address);
        return listening.Address;
    }

    /// <summary>Sends getpeers to <paramref name="peer"/>: candidates it can relay to, valid for 15 s.</summary>
    public async Task<IReadOnlyList<Candidate>> GetPeersAsync(PeerInfo peer, CancellationToken cancellationToken = default) =>
        (await AskPeerAsync<PxpExchange.CandidateList>(peer, new PxpExchange.GetPeers(peer.Id), cancellationToken).ConfigureAwait(false))
        .Candidates;

    /// <summary>Asks <paramref name="peer"/> to relay to <paramref name="candidate"/>; returns the relayed byte stream.</summary>
    public async Task<PxpConnection> RelayAsync(PeerInfo peer, Candidate candidate, CancellationToken cancellationToken = default) =>
        (await AskPeerAsync<PxpExchange.Relayed>(peer, new PxpExchange.Relay(peer.Id, candidate), cancellationToken).ConfigureAwait(false))
        .Stream;

    /// <summary>
    /// The reference's getNewPeer: asks a random peer for candidates, relays to a usable one through it and, when the
    /// candidate speaks PXP, upgrades the relay to a direct WebRTC connection (the relay then closes). Candidates that are
    /// plain streams become the connection as they are. The connection returned is the caller's (not raised by
    /// <see cref="Connected"/>); its <see cref="PxpConnection.Peer"/> says which node it reaches. Fails within
    /// <see cref="PeerExchangeOptions.GetNewPeerTimeout"/> when no peer, no usable candidate, or no path is found.
    /// </summary>
    public async Task<PxpConnection> GetNewPeerAsync(CancellationToken cancellationToken = default)
    {
        if (_closed == 1) throw new InvalidOperationException("The exchange is closed");
        // The exchange answers within the getNewPeer timeout, or within the new session's own handshake bounds after it.
        var timeout = Settings.GetNewPeerTimeout + _askTimeout + TimeSpan.FromSeconds(5);
        var connected = await Actor.Ask<PxpExchange.Connected>(new PxpExchange.GetNewPeer(), timeout, cancellationToken).ConfigureAwait(false);
        return connected.Connection;
    }

    /// <summary>Closes the session with <paramref name="peer"/> (its connection ends) and completes once it has ended.</summary>
    public Task DisconnectAsync(PeerInfo peer, CancellationToken cancellationToken = default) =>
        AskPeerAsync<PxpExchange.Disconnected>(peer, new PxpExchange.Disconnect(peer.Id), cancellationToken);

    /// <summary>The node's observable state: sessions, candidates, streams and its resource budget (in use and refused).</summary>
    public Task<PxpExchange.Stats> GetStatsAsync(CancellationToken cancellationToken = default) =>
        AskAsync<PxpExchange.Stats>(new PxpExchange.GetStats(), cancellationToken);

    /// <summary>Stops listening, closes every session, and completes once they have all ended.</summary>
    public Task CloseAsync()
    {
        // Every caller (the application, DisposeAsync, a host's shutdown) waits for the same close.
        lock (_gate)
        {
            if (_closing is null)
            {
                _closed = 1;
                _closing = CloseOnceAsync();
            }
            return _closing;
        }
    }

    private async Task CloseOnceAsync()
    {
        await Task.Yield(); // out of the lock
        // The exchange stops its listeners first, then closes every session.
        await Actor.Ask<PxpExchange.Closed>(new PxpExchange.Close(), _askTimeout).ConfigureAwait(false);
        await Actor.GracefulStop(_askTimeout).ConfigureAwait(false);
        await _events.GracefulStop(_askTimeout).ConfigureAwait(false);
        if (_ownsSystem) await _system.Terminate().ConfigureAwait(false);
    }

    /// <summary>Closes the exchange, as <see cref="CloseAsync"/>.</summary>
    public ValueTask DisposeAsync() => new(CloseAsync());

    private Task<PxpConnection> AddPeerAsync(Stream stream, bool incoming, string transportName, CancellationToken cancellationToken) =>
        AddPeerAsync(new PxpExchange.AddStreamPeer(stream, incoming, transportName), cancellationToken);

    private Task<PxpConnection> AddPeerAsync(PxpConnection carrier, bool incoming, string transportName,
        CancellationToken cancellationToken)
    {
        carrier.ThrowIfUsed(); // a misuse throws here, as the carrier's Flow or Stream would; the exchange claims it
        return AddPeerAsync(new PxpExchange.AddNestedPeer(carrier, incoming, transportName), cancellationToken);
    }

    private Task<PxpConnection> AddPeerAsync(Flow<ByteString, ByteString, NotUsed> transport, bool incoming,
        string transportName, CancellationToken cancellationToken) =>
        AddPeerAsync(new PxpExchange.AddPeer(transport, incoming, transportName), cancellationToken);

    private async Task<PxpConnection> AddPeerAsync(object add, CancellationToken cancellationToken)
    {
        if (_closed == 1) throw new InvalidOperationException("The exchange is closed");
        var connected = await AskAsync<PxpExchange.Connected>(add, cancellationToken).ConfigureAwait(false);
        return connected.Connection;
    }

    private static string RequireNetwork(string networkId) =>
        string.IsNullOrEmpty(networkId) ? throw new ArgumentException("networkId must be a non-empty string", nameof(networkId)) : networkId;

    /// <summary>A request to one peer: its failure says which peer (the session's own texts are the reference's, or go on the wire).</summary>
    private async Task<T> AskPeerAsync<T>(PeerInfo peer, object message, CancellationToken cancellationToken)
    {
        try
        {
            return await AskAsync<T>(message, cancellationToken).ConfigureAwait(false);
        }
        catch (PxpRequestException e)
        {
            throw new PxpRequestException($"{e.Message} (peer {peer.Id} over {peer.Transport})", e);
        }
    }

    private Task<T> AskAsync<T>(object message, CancellationToken cancellationToken) =>
        Actor.Ask<T>(message, _askTimeout, cancellationToken);

    private ITransport TransportFor(Uri address) => UriTransports.For(address, Resources, Settings.WebSocket, Settings.HandshakeTimeout);

    /// <summary>Turns exchange events into the facade's C# events.</summary>
    private sealed class EventRelay : ReceiveActor
    {
        public EventRelay(PeerExchange exchange)
        {
            Receive<PxpExchange.ConnectionOpened>(e => exchange.Connected?.Invoke(e.Connection));
            Receive<PxpExchange.PeerAdded>(e => exchange.PeerAdded?.Invoke(e.Peer));
            Receive<PxpExchange.PeerRemoved>(e => exchange.PeerRemoved?.Invoke(e.Peer, e.Reason));
            Receive<PxpExchange.PeerFailed>(e => exchange.PeerError?.Invoke(e.Peer, e.Error));
            Receive<PxpExchange.ExchangeError>(e => exchange.Error?.Invoke(e.Error));
        }
    }
}
