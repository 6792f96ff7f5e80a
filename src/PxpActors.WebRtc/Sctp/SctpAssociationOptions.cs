namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// Tunables of one association. Defaults follow RFC 9260 section 16 and what WebRTC peers (libwebrtc's
/// dcsctp, usrsctp) expect: port 5000 on both ends, 1200-byte packets to fit DTLS over any path.
/// </summary>
public sealed record SctpAssociationOptions
{
    /// <summary>Our SCTP port (a=sctp-port; 5000 in every WebRTC stack).</summary>
    public ushort LocalPort { get; init; } = 5000;

    /// <summary>The peer's SCTP port.</summary>
    public ushort RemotePort { get; init; } = 5000;

    /// <summary>Largest SCTP packet we send, common header included (the DTLS path MTU).</summary>
    public int MaxPacketSize { get; init; } = 1200;

    /// <summary>Largest message we accept (our SDP a=max-message-size, RFC 8841), and send unless <see cref="PeerMaxMessageSize"/> says otherwise; browsers use 256 KiB.</summary>
    public int MaxMessageSize { get; init; } = 256 * 1024;

    /// <summary>
    /// Largest message the peer accepts (its SDP a=max-message-size; map 0, "unlimited", to a large value).
    /// Null means the same as <see cref="MaxMessageSize"/>.
    /// </summary>
    public int? PeerMaxMessageSize { get; init; }

    /// <summary>Largest message we may send: the peer's limit when known.</summary>
    internal int SendMessageLimit => PeerMaxMessageSize ?? MaxMessageSize;

    /// <summary>Bytes we buffer for the peer (our advertised window, a_rwnd): held fragments plus undrained messages.</summary>
    public int ReceiveBufferSize { get; init; } = 1024 * 1024;

    /// <summary>Bytes the application may have queued or unacknowledged before sends are refused (backpressure).</summary>
    public int SendBufferSize { get; init; } = 2 * 1024 * 1024;

    /// <summary>Streams we announce in each direction (dcsctp and usrsctp both offer 65535).</summary>
    public ushort Streams { get; init; } = 65535;

    /// <summary>RTO before any round trip was measured (RFC 9260: 1 s).</summary>
    public TimeSpan InitialRto { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Lowest RTO, however short the measured round trips (RFC 9260 says 1 s; shorter here).</summary>
    public TimeSpan MinRto { get; init; } = TimeSpan.FromMilliseconds(400);
    /// <summary>Highest RTO (RFC 9260: 60 s).</summary>
    public TimeSpan MaxRto { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Max.Init.Retransmits: INIT / COOKIE ECHO attempts before giving up.</summary>
    public int MaxInitRetransmits { get; init; } = 8;

    /// <summary>Association.Max.Retrans: consecutive unanswered retransmissions before the peer is declared gone.</summary>
    public int MaxAssociationRetransmits { get; init; } = 10;

    /// <summary>Longest a SACK is held back hoping to acknowledge two packets at once.</summary>
    public TimeSpan DelayedAckTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>HB.interval: idle time between heartbeats (RTO is added, RFC 9260 8.3).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Valid.Cookie.Life: how long an INIT ACK's state cookie is accepted.</summary>
    public TimeSpan CookieLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most control chunks waiting for the owner to drain them; more are dropped (timers resend them).</summary>
    public int MaxQueuedControlChunks { get; init; } = 64;

    internal void Validate()
    {
        if (MaxPacketSize < 256 || MaxPacketSize > 65535)
            throw new ArgumentOutOfRangeException(nameof(MaxPacketSize), MaxPacketSize, "Must be 256..65535.");
        if (MaxMessageSize < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxMessageSize), MaxMessageSize, "Must be positive.");
        if (PeerMaxMessageSize is < 1)
            throw new ArgumentOutOfRangeException(nameof(PeerMaxMessageSize), PeerMaxMessageSize, "Must be positive.");
        if (ReceiveBufferSize < 4 * MaxPacketSize)
            throw new ArgumentOutOfRangeException(nameof(ReceiveBufferSize), ReceiveBufferSize, "Must hold at least four packets.");
        if (SendBufferSize < 1)
            throw new ArgumentOutOfRangeException(nameof(SendBufferSize), SendBufferSize, "Must be positive.");
        if (Streams == 0)
            throw new ArgumentOutOfRangeException(nameof(Streams), Streams, "Must be positive.");
        if (MinRto <= TimeSpan.Zero || MaxRto < MinRto || InitialRto < MinRto || InitialRto > MaxRto)
            throw new ArgumentOutOfRangeException(nameof(InitialRto), "Need 0 < MinRto <= InitialRto <= MaxRto.");
    }
}
