using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Carriers;
using PxpActors.Protocol.Rpc;
using PxpActors.Multiplexing;
using PxpActors.Relays;
using PxpActors.Transports;

namespace PxpActors.Actors.Internal;

/// <summary>How a PeerActor's session came to be.</summary>
/// <remarks>
/// The transport is either bound into a blueprint (<paramref name="Binding"/>) or any byte flow (<paramref name="Transport"/>).
/// <paramref name="Relayed"/>: relayed to us (a hub's incoming); <paramref name="Nested"/>: one we opened over a relay connection.
/// <paramref name="RemoteAddress"/>: the peer's transport address (ip:port), to name it in logs and its <see cref="PeerInfo"/>.
/// <paramref name="Upgrading"/>: a nested session getNewPeer opened to upgrade to WebRTC; it never opens an application stream.
/// <paramref name="EagerConnect"/>: an outgoing session sends connect right behind its hello instead of after the peer's (the
/// session over an upgraded connection: the peer reads our hello first, so it is ready for the connect when it comes).
/// </remarks>
internal sealed record SessionOrigin(
    string PeerId,
    CarrierBinding? Binding,
    Flow<ByteString, ByteString, NotUsed>? Transport,
    string TransportName,
    bool Incoming,
    bool Relayed,
    IActorRef? ConnectRequester,
    bool Nested = false,
    string? RemoteAddress = null,
    bool Upgrading = false,
    bool EagerConnect = false);

// ---- PeerActor → ExchangeActor ----

/// <summary>The handshake finished: the session counts as a peer.</summary>
internal sealed record PeerReady(PeerInfo Info);

/// <summary>The application stream of a session opened; the exchange answers <paramref name="Requester"/>.</summary>
internal sealed record ConnectionReady(PxpConnection Connection, IActorRef? Requester);

/// <summary>The peer asked getpeers; the exchange answers with <see cref="CandidatesOffered"/>.</summary>
internal sealed record CandidatesWanted(string Nonce, string Network);

internal sealed record CandidatesOffered(string Nonce, IReadOnlyList<Candidate> Candidates, string? Error);

/// <summary>The peer asked us to relay to a candidate id; the exchange answers with <see cref="CandidateResolved"/>.</summary>
internal sealed record ResolveCandidate(string Nonce, string CandidateId);

/// <summary>Either a PeerActor to relay to, or a custom candidate's stream opener, or why neither.</summary>
internal sealed record CandidateResolved(string Nonce, string CandidateId, IActorRef? Target, CustomCandidate? Custom, string? Error);

/// <summary>A relayed incoming session arrived on "relay:id": the exchange adds it as a peer.</summary>
internal sealed record AddRelayedPeer(SubstreamChannel Relay);

/// <summary>An application connection the facade took for its <c>Connected</c> event rather than for a caller: published.</summary>
internal sealed record PublishConnection(PxpConnection Connection);

/// <summary>A relay this session served as the hub is over: the node's relay count goes down.</summary>
internal sealed record RelayReleased;

/// <summary>A session refused its peer's request at a limit of its own: counted in the node's refusals.</summary>
internal sealed record LimitReached(string Limit);

/// <summary>An upgrade signal arrived on a relayed session.</summary>
internal sealed record UpgradeReceived(PeerInfo Peer, string Transport, System.Text.Json.JsonElement Signal);

/// <summary>The session failed because of the peer or its transport.</summary>
internal sealed record SessionFailed(PeerInfo? Peer, Exception Error);

// ---- PeerActor → itself ----

/// <summary>The session's graph ended, with <paramref name="Error"/> when it failed.</summary>
internal sealed record TransportEnded(Exception? Error);

/// <summary>No hello from the peer within pxp.handshake-timeout.</summary>
internal sealed record HandshakeTimedOut;

/// <summary>A parting reply had its time to reach the peer: the session stops.</summary>
internal sealed record PartingTimedOut
{
    public static PartingTimedOut Instance { get; } = new();
}

// ---- ExchangeActor (or API) → PeerActor ----

/// <summary>Send getpeers for our network. Reply: <see cref="PxpExchange.CandidateList"/>.</summary>
internal sealed record RequestCandidates;

/// <summary>Send relay for a candidate and open its stream. Reply: <see cref="RelayOpened"/>.</summary>
internal sealed record RequestRelay(Candidate Candidate);

internal sealed record RelayOpened(SubstreamChannel Stream);

/// <summary>We are the hub: tell this session's peer that a relay arrives on "relay:relayId". Reply: <see cref="RelayOpened"/>.</summary>
internal sealed record OpenIncomingRelay(string RelayId);

/// <summary>A relayed session this session carried (an "incoming" from its peer) has ended, or was refused.</summary>
internal sealed record CarriedSessionEnded
{
    public static CarriedSessionEnded Instance { get; } = new();
}

/// <summary>Close the session gracefully.</summary>
internal sealed record CloseSession
{
    public static CloseSession Instance { get; } = new();
}

/// <summary>Send one WebRTC signal as an upgrade message on a relayed session (never waits for a reply).</summary>
internal sealed record SendUpgradeSignal(System.Text.Json.JsonElement Signal);

// ---- the WebRTC upgrade (ExchangeActor ⇄ SignalingRelayActor) ----

/// <summary>getNewPeer picked a candidate: the exchange reserves its node id, or answers why none is usable.</summary>
internal sealed record ChooseCandidate(IReadOnlyList<Candidate> Candidates);

/// <summary>The candidate getNewPeer relays to (its node id, if any, reserved until <see cref="CandidateReleased"/>).</summary>
internal sealed record CandidateChosen(Candidate Candidate);

/// <summary>
/// A getNewPeer attempt is over: the node id it reserved is free again. <paramref name="Full"/>: the node refused for
/// having its maximum of peers (pxp.max-peers), so it is not chosen again for a while.
/// </summary>
internal sealed record CandidateReleased(string? NodeId, bool Full = false);

/// <summary>
/// getNewPeer has a relay to a PXP candidate: run a nested session over it and upgrade it to WebRTC as the initiator.
/// Reply: <see cref="PxpExchange.Connected"/> once the new connection's application stream is open. <paramref name="TimeLeft"/>
/// bounds the upgrade.
/// </summary>
internal sealed record UpgradeRelay(SubstreamChannel Relay, Candidate Candidate, TimeSpan TimeLeft, PreparedPeerConnection? Prepared);

/// <summary>One signal the peer sent on the relayed session being upgraded.</summary>
internal sealed record RemoteSignal(System.Text.Json.JsonElement Signal);

/// <summary>
/// The data channel is open: <paramref name="Transport"/> (which owns the peer connection) becomes a new session, after
/// which the relayed session is closed. <paramref name="Requester"/> is getNewPeer's asker, on the initiator's side.
/// </summary>
internal sealed record UpgradeOpened(Stream Transport, bool Incoming, IActorRef? Requester);

/// <summary>The upgrade failed; everything it opened is released, and the relayed session is closed.</summary>
internal sealed record UpgradeFailed(Exception Error);
