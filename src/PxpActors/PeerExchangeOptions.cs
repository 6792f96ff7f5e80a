using Akka.Configuration;
using PxpActors.Actors;
using PxpActors.WebRtc.PeerConnections;

namespace PxpActors;

/// <summary>
/// Options of a <see cref="PeerExchange"/>. Each property left null keeps the default of
/// hocon/reference.conf (or of <see cref="Config"/> when given).
/// </summary>
public sealed record PeerExchangeOptions
{
    /// <summary>Accept relayed incoming sessions and upgrades (default true). When false, hello carries connectInfo null.</summary>
    public bool? AllowIncoming { get; init; }

    /// <summary>Replaces the default candidates (our peers that accept incoming) in getpeers replies.</summary>
    public CandidateSource? CandidateSource { get; init; }

    /// <summary>Bytes per second in each direction of a relay through this node (default 50,000; 0 = unlimited).</summary>
    public int? RelayBytesPerSecond { get; init; }

    /// <summary>How long a request waits for its reply (default 15 s).</summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>How long a new session may take to say hello (default 10 s).</summary>
    public TimeSpan? HandshakeTimeout { get; init; }

    /// <summary>How long a write may wait for a peer that does not read before its session closes (default 30 s).</summary>
    public TimeSpan? WriteTimeout { get; init; }

    /// <summary>Largest multiplex frame accepted from a peer (default 1 MiB).</summary>
    public int? MaxFramePayload { get; init; }

    /// <summary>Longest a getNewPeer may take (default 30 s).</summary>
    public TimeSpan? GetNewPeerTimeout { get; init; }

    /// <summary>Keep at least this many peers by calling getNewPeer while below it (default 0: off).</summary>
    public int? TargetPeers { get; init; }

    /// <summary>
    /// Refuse other nodes' getNewPeer while this node has this many peers (default 0: no limit; when set, at least
    /// <see cref="TargetPeers"/>). Connections the application makes or accepts are never refused by it.
    /// </summary>
    public int? MaxPeers { get; init; }

    /// <summary>STUN servers for the WebRTC upgrade, as stun:HOST:PORT URLs (the reference's rtcConfig; default none).</summary>
    public IReadOnlyList<string>? IceServers { get; init; }

    /// <summary>Longest a WebRTC upgrade may take, from its first signal to an open data channel (default 20 s).</summary>
    public TimeSpan? UpgradeTimeout { get; init; }

    /// <summary>The WebRTC implementation upgrades run on (the reference's <c>wrtc</c> option); default: our own stack.</summary>
    public IWebRtcPeerConnectionFactory? WebRtc { get; init; }

    /// <summary>The base options of every upgrade's peer connection (for example the addresses to gather on).</summary>
    public PeerConnectionOptions? WebRtcOptions { get; init; }

    /// <summary>Picks getNewPeer's candidate among the usable ones (default: uniformly at random, as the reference).</summary>
    public CandidateSelector? CandidateSelector { get; init; }

    /// <summary>
    /// The clock the node reads (candidate expiry, getNewPeer's deadline, request rate limits); default the system's.
    /// Timers run on the ActorSystem's scheduler. Simulations pass a virtual clock coupled to a test scheduler.
    /// </summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>
    /// Extra HOCON with a <c>pxp</c> section; the properties above win over it, and it wins over the ActorSystem's config.
    /// When the exchange runs in a system of its own, that system is made with this config too (its <c>akka</c> section,
    /// for example <c>akka.loglevel</c>, which is WARNING otherwise).
    /// </summary>
    public Config? Config { get; init; }

    /// <param name="networkId">The network; null takes <c>pxp.network-id</c> from the configs.</param>
    /// <param name="systemConfig">The ActorSystem's config, when the exchange runs in an application's system: its
    /// <c>pxp</c> section applies under <see cref="Config"/> and the properties.</param>
    internal ExchangeSettings ToSettings(string? networkId, Config? systemConfig = null)
    {
        var config = (Config, systemConfig) switch
        {
            (null, null) => Akka.Configuration.Config.Empty,
            ({ } own, null) => own,
            (null, { } system) => system,
            ({ } own, { } system) => own.WithFallback(system),
        };
        var settings = ExchangeSettings.Create(config);
        settings = settings with { NetworkId = networkId ?? settings.NetworkId };
        return settings with
        {
            AllowIncoming = AllowIncoming ?? settings.AllowIncoming,
            RelayBytesPerSecond = RelayBytesPerSecond ?? settings.RelayBytesPerSecond,
            RequestTimeout = RequestTimeout ?? settings.RequestTimeout,
            HandshakeTimeout = HandshakeTimeout ?? settings.HandshakeTimeout,
            WriteTimeout = WriteTimeout ?? settings.WriteTimeout,
            Multiplexer = settings.Multiplexer with
            {
                MaxFramePayload = MaxFramePayload ?? settings.Multiplexer.MaxFramePayload,
            },
            GetNewPeerTimeout = GetNewPeerTimeout ?? settings.GetNewPeerTimeout,
            Upkeep = (settings.Upkeep with
            {
                TargetPeers = TargetPeers ?? settings.Upkeep.TargetPeers,
                MaxPeers = MaxPeers ?? settings.Upkeep.MaxPeers,
            }).Validated(),
            Upgrade = settings.Upgrade with
            {
                IceServers = IceServers ?? settings.Upgrade.IceServers,
                Timeout = UpgradeTimeout ?? settings.Upgrade.Timeout,
            },
        };
    }

    internal ExchangePlugins ToPlugins(string nodeId) =>
        new() { WebRtc = WebRtc, WebRtcOptions = WebRtcOptions, CandidateSelector = CandidateSelector, NodeId = nodeId, TimeProvider = TimeProvider };
}
