using PxpActors.WebRtc.Sctp.Chunks;
using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp;

/// <summary>Association setup (RFC 9260 section 5): INIT, INIT ACK with a signed cookie, COOKIE ECHO, COOKIE ACK.</summary>
public sealed partial class SctpAssociation
{
    private Chunk? _handshakeChunk;
    private int _handshakeRetransmits;

    /// <summary>
    /// Starts the handshake. WebRTC peers both call this (RFC 8831 6.2), so INITs may cross: each side's
    /// INIT ACK carries its single local tag, and the cookies then agree (RFC 9260 5.2.1, 5.2.4 case D).
    /// Without Connect, an idle association still answers an INIT, statelessly.
    /// </summary>
    public void Connect()
    {
        if (State != SctpAssociationState.Idle)
            throw new InvalidOperationException($"Connect is only valid on an idle association (state {State}).");
        _handshakeChunk = new InitChunk(_localTag, (uint)_options.ReceiveBufferSize, _options.Streams, _options.Streams,
            _localInitialTsn, LocalExtensionParameters());
        State = SctpAssociationState.CookieWait;
        SendHandshakeChunk();
    }

    private static Parameter[] LocalExtensionParameters() =>
        [new ForwardTsnSupportedParameter(), new SupportedExtensionsParameter([ChunkType.ReConfig, ChunkType.ForwardTsn])];

    private void SendHandshakeChunk()
    {
        EnqueueControl(_handshakeChunk!, _handshakeChunk is InitChunk ? 0u : null);
        _t1Due = Now + _rto.Rto;
    }

    private void OnT1Expired()
    {
        _t1Due = null;
        if (State is not (SctpAssociationState.CookieWait or SctpAssociationState.CookieEchoed) || _handshakeChunk is null)
            return;
        if (++_handshakeRetransmits > _options.MaxInitRetransmits)
        {
            Terminate($"handshake timed out after {_options.MaxInitRetransmits} retransmissions in {State}", aborted: true);
            return;
        }
        _rto.BackOff();
        SendHandshakeChunk();
    }

    private void HandleInit(InitChunk init)
    {
        if (State is not (SctpAssociationState.Idle or SctpAssociationState.CookieWait or SctpAssociationState.CookieEchoed))
            return; // a duplicate INIT after setup; a restart (5.2.2) is not something WebRTC peers do
        var cookie = new StateCookie(Now, _localTag, init.InitiateTag, _localInitialTsn, init.InitialTsn,
            init.AdvertisedReceiverWindowCredit, init.OutboundStreams, init.InboundStreams,
            SupportsForwardTsn(init.Parameters), SupportsReconfig(init.Parameters)).Sign(_cookieSecret);
        var parameters = new List<Parameter> { new StateCookieParameter(cookie) };
        parameters.AddRange(LocalExtensionParameters());
        EnqueueControl(new InitAckChunk(_localTag, (uint)_options.ReceiveBufferSize, _options.Streams, _options.Streams,
            _localInitialTsn, parameters), init.InitiateTag);
    }

    private void HandleInitAck(InitAckChunk ack)
    {
        if (State != SctpAssociationState.CookieWait)
            return; // 5.2.3: an unexpected INIT ACK is discarded
        AdoptPeer(ack.InitiateTag, ack.InitialTsn, ack.AdvertisedReceiverWindowCredit, ack.OutboundStreams, ack.InboundStreams,
            SupportsForwardTsn(ack.Parameters), SupportsReconfig(ack.Parameters));
        _handshakeChunk = new CookieEchoChunk(ack.StateCookie);
        _handshakeRetransmits = 0;
        State = SctpAssociationState.CookieEchoed;
        SendHandshakeChunk();
    }

    private void HandleCookieEcho(CookieEchoChunk echo)
    {
        StateCookie cookie;
        try
        {
            cookie = StateCookie.Verify(echo.Cookie.Span, _cookieSecret, Now, _options.CookieLifetime);
        }
        catch (SctpProtocolException e)
        {
            Drop(e.Message);
            return;
        }
        if (cookie.LocalTag != _localTag)
        {
            Drop("COOKIE ECHO for another association (local tag mismatch)");
            return;
        }
        switch (State)
        {
            case SctpAssociationState.Idle or SctpAssociationState.CookieWait:
            case SctpAssociationState.CookieEchoed when _peerTag != cookie.PeerTag:
                AdoptPeer(cookie.PeerTag, cookie.PeerInitialTsn, cookie.PeerReceiveWindow, cookie.PeerOutboundStreams,
                    cookie.PeerInboundStreams, cookie.PeerSupportsForwardTsn, cookie.PeerSupportsReconfig);
                EnqueueControl(new CookieAckChunk());
                Establish();
                break;
            case SctpAssociationState.CookieEchoed:
                EnqueueControl(new CookieAckChunk());
                Establish();
                break;
            case SctpAssociationState.Closed:
                break;
            default:
                // Already up: the peer lost our COOKIE ACK (5.2.4 case D) - answer again.
                if (cookie.PeerTag == _peerTag)
                    EnqueueControl(new CookieAckChunk());
                break;
        }
    }

    private void HandleCookieAck()
    {
        if (State == SctpAssociationState.CookieEchoed)
            Establish();
    }

    private void AdoptPeer(uint peerTag, uint peerInitialTsn, uint peerWindow, ushort peerOutbound, ushort peerInbound, bool forwardTsn, bool reconfig)
    {
        _peerTag = peerTag;
        OutboundStreams = Math.Min(_options.Streams, peerInbound);
        InboundStreams = Math.Min(_options.Streams, peerOutbound);
        PeerSupportsPartialReliability = forwardTsn;
        PeerSupportsStreamReset = reconfig;
        _peerRwnd = (int)Math.Min(peerWindow, int.MaxValue);
        _congestion = new CongestionControl(_options.MaxPacketSize, _peerRwnd);
        _receiver = new DataReceiver(peerInitialTsn, _options.ReceiveBufferSize, _options.MaxMessageSize, Deliver);
        _lastAdvertisedRwnd = (uint)_options.ReceiveBufferSize;
        _peerExpectedReconfigSeq = peerInitialTsn;
    }

    private void Establish()
    {
        State = SctpAssociationState.Established;
        _t1Due = null;
        _handshakeChunk = null;
        _errorCount = 0;
        _heartbeatDue = Now + _options.HeartbeatInterval + _rto.Rto;
        _events.Enqueue(new SctpEvent.Established(OutboundStreams, InboundStreams, PeerSupportsPartialReliability, PeerSupportsStreamReset));
    }

    private static bool SupportsForwardTsn(IReadOnlyList<Parameter> parameters) =>
        parameters.Any(p => p is ForwardTsnSupportedParameter || p is SupportedExtensionsParameter e && e.Supports(ChunkType.ForwardTsn));

    private static bool SupportsReconfig(IReadOnlyList<Parameter> parameters) =>
        parameters.Any(p => p is SupportedExtensionsParameter e && e.Supports(ChunkType.ReConfig));
}
