using Akka.Configuration;
using PxpActors.Resources;
using PxpActors.Multiplexing;

namespace PxpActors.Actors;

/// <summary>Everything that tunes one exchange; read from the <c>pxp</c> section of HOCON (hocon/reference.conf).</summary>
public sealed record ExchangeSettings(
    string NetworkId,
    bool AllowIncoming,
    TimeSpan HandshakeTimeout,
    TimeSpan WriteTimeout,
    TimeSpan RequestTimeout,
    int MaxPendingRequests,
    int MaxIncomingRequestsPerSecond,
    TimeSpan CandidateTtl,
    int MaxCandidates,
    int MaxCandidatesPerReply,
    int RelayBytesPerSecond,
    int MaxRelaysPerPeer,
    int MaxRpcLine,
    MultiplexerSettings Multiplexer,
    ResourceLimits Limits,
    TimeSpan GetNewPeerTimeout,
    UpgradeSettings Upgrade,
    UpkeepSettings Upkeep,
    bool AnnounceNodeId)
{
    /// <summary>How the node speaks WebSocket (<c>pxp.websocket</c>).</summary>
    public Transports.WebSocket.WebSocketSettings WebSocket { get; init; } = Transports.WebSocket.WebSocketSettings.Default;

    /// <summary>The defaults of hocon/reference.conf.</summary>
    public static ExchangeSettings Default { get; } = Create(PxpConfig.Reference);

    /// <summary>Reads the settings from a config holding a <c>pxp</c> section (missing keys fall back to the defaults).</summary>
    public static ExchangeSettings Create(Config config)
    {
        // A config cannot fall back on itself: the defaults alone are read as they are.
        var pxp = (ReferenceEquals(config, PxpConfig.Reference) ? config : config.WithFallback(PxpConfig.Reference)).GetConfig("pxp");
        var mux = pxp.GetConfig("multiplexer");
        return new ExchangeSettings(
            NetworkId: pxp.GetString("network-id"),
            AllowIncoming: pxp.GetBoolean("allow-incoming"),
            HandshakeTimeout: pxp.GetTimeSpan("handshake-timeout"),
            WriteTimeout: pxp.GetTimeSpan("write-timeout"),
            RequestTimeout: pxp.GetTimeSpan("request-timeout"),
            MaxPendingRequests: pxp.GetInt("max-pending-requests"),
            MaxIncomingRequestsPerSecond: pxp.GetInt("max-incoming-requests-per-second"),
            CandidateTtl: pxp.GetTimeSpan("candidate-ttl"),
            MaxCandidates: pxp.GetInt("max-candidates"),
            MaxCandidatesPerReply: pxp.GetInt("max-candidates-per-reply"),
            RelayBytesPerSecond: (int)(pxp.GetByteSize("relay-rate") ?? 0),
            MaxRelaysPerPeer: pxp.GetInt("max-relays-per-peer"),
            MaxRpcLine: (int)(mux.GetByteSize("max-rpc-line") ?? 65536),
            Multiplexer: new MultiplexerSettings(
                MaxFramePayload: (int)(mux.GetByteSize("max-frame-payload") ?? 1 << 20),
                MaxSubstreams: mux.GetInt("max-substreams"),
                SubstreamBufferBytes: (int)(mux.GetByteSize("substream-buffer") ?? 256 << 10),
                MaxSendFramePayload: (int)(mux.GetByteSize("max-send-frame-payload") ?? 64 << 10),
                MaxQueuedControlFrames: mux.GetInt("max-queued-rpc-frames"),
                SessionBufferBytes: mux.GetByteSize("session-buffer") ?? 16L << 20)
            {
                UnclaimedSubstreamTimeout = mux.GetTimeSpan("unclaimed-substream-timeout"),
            },
            Limits: ResourceLimits.Create(pxp.GetConfig("limits")),
            GetNewPeerTimeout: pxp.GetTimeSpan("get-new-peer-timeout"),
            Upgrade: UpgradeSettings.Create(pxp.GetConfig("webrtc")),
            Upkeep: UpkeepSettings.Create(pxp),
            AnnounceNodeId: pxp.GetBoolean("announce-node-id"))
        {
            WebSocket = Transports.WebSocket.WebSocketSettings.Create(pxp.GetConfig("websocket")),
        };
    }
}
