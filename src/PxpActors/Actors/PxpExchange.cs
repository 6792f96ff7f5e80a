using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Actors.Internal;
using PxpActors.Protocol.Rpc;
using PxpActors.Resources;

namespace PxpActors.Actors;

/// <summary>
/// The exchange as an actor protocol: one ExchangeActor per network id supervising one PeerActor per
/// session. <see cref="PeerExchange"/> is the async facade over exactly these messages.
/// Every request is answered with its reply record or a <see cref="Status.Failure"/>.
/// </summary>
public static class PxpExchange
{
    /// <param name="onPeersChanged">Optional: receives an immutable snapshot of the ready peers whenever it changes.</param>
    /// <param name="resources">
    /// The node-wide budget its sessions draw on, when the caller shares it (its transports count sockets there);
    /// by default the exchange makes its own from <see cref="ExchangeSettings.Limits"/>.
    /// </param>
    /// <param name="settings">The node's settings (<see cref="ExchangeSettings.Create(Akka.Configuration.Config)"/> reads them from a <c>pxp</c> config).</param>
    /// <param name="candidateSource">Custom candidates offered next to the node's peers; none by default.</param>
    /// <param name="plugins">The WebRTC implementation, the candidate selector and the node id, when not the defaults.</param>
    public static Props Props(ExchangeSettings settings, CandidateSource? candidateSource = null,
        Action<IReadOnlyList<PeerInfo>>? onPeersChanged = null, NodeResources? resources = null, ExchangePlugins? plugins = null) =>
        Akka.Actor.Props.Create(() => new ExchangeActor(settings, candidateSource, onPeersChanged, resources, plugins));

    // ---- requests ----

    /// <summary>
    /// Adds a peer over a duplex byte flow. Reply: <see cref="Connected"/> once the application connection is open; that
    /// connection is the asker's alone. Told without a sender, the connection is published as <see cref="ConnectionOpened"/>.
    /// </summary>
    public sealed record AddPeer(Flow<ByteString, ByteString, NotUsed> Transport, bool Incoming, string TransportName);

    /// <summary>
    /// Adds a peer over a duplex <see cref="System.IO.Stream"/> (a socket's <c>NetworkStream</c>, a pipe, a TLS stream): the
    /// session reads and writes it directly, without a stream graph in between, and disposes it when it ends (or at once when
    /// the exchange refuses it). Reply: <see cref="Connected"/>, as for <see cref="AddPeer"/>; told without a sender, the
    /// connection is published as <see cref="ConnectionOpened"/>.
    /// </summary>
    /// <param name="Stream">The transport; the exchange owns it from now on.</param>
    /// <param name="Incoming">True on the accepting side.</param>
    /// <param name="TransportName">How the peer's <see cref="PeerInfo.Transport"/> names it ("tcp", "stream", ...).</param>
    public sealed record AddStreamPeer(Stream Stream, bool Incoming, string TransportName);

    /// <summary>
    /// Adds a peer over a connection this node already has, typically the relayed stream <see cref="Relay"/> returned: a
    /// session nested in the carrier's substream, its frames written straight into it. Uses up <paramref name="Carrier"/> (a
    /// carrier already used as a Flow or Stream is refused with an <see cref="InvalidOperationException"/>). Reply:
    /// <see cref="Connected"/>, as for <see cref="AddPeer"/>.
    /// </summary>
    /// <param name="Carrier">The connection that carries the nested session.</param>
    /// <param name="Incoming">True on the accepting side.</param>
    /// <param name="TransportName">How the peer's <see cref="PeerInfo.Transport"/> names it.</param>
    public sealed record AddNestedPeer(PxpConnection Carrier, bool Incoming, string TransportName = "relay");

    /// <summary>
    /// Accepts peers on a tcp:// address (port 0: any free port) until the exchange closes. Reply: <see cref="Listening"/>
    /// with the address bound. Accepted sessions' connections are published as <see cref="ConnectionOpened"/>; a failure to
    /// accept, as <see cref="ExchangeError"/>.
    /// </summary>
    public sealed record Listen(Uri Address);

    /// <summary>
    /// getNewPeer: ask a random peer for candidates, relay to a usable one through it, and upgrade the relay to a WebRTC
    /// connection when the candidate speaks PXP. Reply: <see cref="Connected"/> (the new connection, the asker's alone), or a
    /// failure within pxp.get-new-peer-timeout.
    /// </summary>
    public sealed record GetNewPeer;

    /// <summary>Sends getpeers to one peer. Reply: <see cref="CandidateList"/>.</summary>
    public sealed record GetPeers(string PeerId);

    /// <summary>Asks peer <paramref name="PeerId"/> to relay to <paramref name="Candidate"/>. Reply: <see cref="Relayed"/>.</summary>
    public sealed record Relay(string PeerId, Candidate Candidate);

    /// <summary>Reply: <see cref="PeerList"/>.</summary>
    public sealed record ListPeers;

    /// <summary>Closes the session with one peer (the reference's <c>peer.close()</c>). Reply: <see cref="Disconnected"/> once it has ended.</summary>
    public sealed record Disconnect(string PeerId);

    /// <summary>Observable node state. Reply: <see cref="Stats"/>.</summary>
    public sealed record GetStats;

    /// <summary>Events are sent to <paramref name="Subscriber"/> until it stops or unsubscribes.</summary>
    public sealed record Subscribe(IActorRef Subscriber);

    /// <summary>Stops sending events to <paramref name="Subscriber"/>.</summary>
    /// <param name="Subscriber">The actor subscribed with <see cref="Subscribe"/>.</param>
    public sealed record Unsubscribe(IActorRef Subscriber);

    /// <summary>Closes every session and refuses new ones. Reply: <see cref="Closed"/> once all sessions ended.</summary>
    public sealed record Close;

    // ---- replies ----

    /// <summary>An application connection opened by AddPeer or GetNewPeer.</summary>
    public sealed record Connected(PxpConnection Connection);

    /// <summary>A listener is bound to <paramref name="Address"/> (port 0 resolved to the real port).</summary>
    public sealed record Listening(Uri Address);

    /// <summary>The reply to <see cref="GetPeers"/>: the candidates the peer offered.</summary>
    /// <param name="Candidates">What the peer offered, as it offered them.</param>
    public sealed record CandidateList(IReadOnlyList<Candidate> Candidates);

    /// <summary>A relayed byte stream to a candidate: raw bytes, or a nested PXP session when the candidate speaks PXP.</summary>
    public sealed record Relayed(PxpConnection Stream);

    /// <summary>The reply to <see cref="ListPeers"/>.</summary>
    /// <param name="Peers">The peers whose handshake finished.</param>
    public sealed record PeerList(IReadOnlyList<PeerInfo> Peers);

    /// <summary>The reply to <see cref="Close"/>: every session has ended.</summary>
    public sealed record Closed;

    /// <summary>The reply to <see cref="Disconnect"/>: the peer's session has ended.</summary>
    /// <param name="PeerId">The id of the peer whose session ended.</param>
    public sealed record Disconnected(string PeerId);

    /// <param name="Sessions">Session actors alive, handshaking or ready.</param>
    /// <param name="ReadyPeers">Sessions whose handshake finished.</param>
    /// <param name="Candidates">Candidate ids currently remembered.</param>
    /// <param name="Streams">Running stream actors: one per session, one per throttled relay.</param>
    /// <param name="Resources">What is in use of the node's budget (pxp.limits), and what it refused.</param>
    public sealed record Stats(int Sessions, int ReadyPeers, int Candidates, int Streams, ResourceUsage Resources);

    /// <param name="Connections">Sessions over a transport (not relayed).</param>
    /// <param name="ConnectionCap">The connection limit in force: max-connections, fitted under the open-file limit.</param>
    /// <param name="PendingHandshakes">Sessions that have not finished their handshake.</param>
    /// <param name="RelayedSessions">Sessions carried over relay substreams.</param>
    /// <param name="Relays">Relays this node serves as the hub.</param>
    /// <param name="Substreams">Substreams open across all sessions.</param>
    /// <param name="BufferedBytes">Received bytes held for readers that have not taken them.</param>
    /// <param name="Sockets">Sockets open, counted by the node's transports.</param>
    /// <param name="Refusals">Claims refused since the node started, by limit (for example "connections", "relays").</param>
    /// <param name="Upgrades">WebRTC upgrades in progress (each a SignalingRelayActor and a peer connection).</param>
    /// <param name="StandbyConnections">
    /// WebRTC peer connections started ahead for the next offer this node answers (0 or 1: kept while offers keep coming).
    /// </param>
    public sealed record ResourceUsage(
        int Connections,
        int ConnectionCap,
        int PendingHandshakes,
        int RelayedSessions,
        int Relays,
        long Substreams,
        long BufferedBytes,
        int Sockets,
        IReadOnlyDictionary<string, long> Refusals,
        int Upgrades,
        int StandbyConnections = 0);

    // ---- events (sent to subscribers) ----

    /// <summary>An event the exchange sends its subscribers.</summary>
    public interface IExchangeEvent;

    /// <summary>A session finished its handshake.</summary>
    public sealed record PeerAdded(PeerInfo Peer, int PeerCount) : IExchangeEvent;

    /// <summary>A session ended; <paramref name="Reason"/> is null for an orderly close.</summary>
    public sealed record PeerRemoved(PeerInfo Peer, int PeerCount, Exception? Reason) : IExchangeEvent;

    /// <summary>
    /// An application connection nobody asked for opened: a session accepted by a listener or relayed to us, or added without
    /// an asker. Connections an asker waits for (AddPeer, GetNewPeer, Relay) go to that asker only: each can be used once.
    /// </summary>
    public sealed record ConnectionOpened(PxpConnection Connection) : IExchangeEvent;

    /// <summary>A peer misbehaved or its transport failed; that session is closed, nothing else is affected.</summary>
    public sealed record PeerFailed(PeerInfo? Peer, Exception Error) : IExchangeEvent;

    /// <summary>An error of the node itself (for example an outgoing connect refused by the peer).</summary>
    public sealed record ExchangeError(Exception Error) : IExchangeEvent;
}
