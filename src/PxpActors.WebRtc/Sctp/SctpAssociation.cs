using System.Security.Cryptography;
using PxpActors.WebRtc.Sctp.Chunks;
using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// One SCTP association (RFC 9260) as WebRTC runs it over DTLS (RFC 8261, RFC 8831), written sans-IO:
/// the owner feeds received packets (<see cref="HandlePacket"/>) and timer expiries
/// (<see cref="HandleTimeout"/> at <see cref="NextTimeout"/>), and drains packets to send
/// (<see cref="PollPacket"/>) and events (<see cref="TryPollEvent"/>). Time comes from the injected
/// <see cref="TimeProvider"/>. Not thread-safe: the owner serializes calls.
/// <para>
/// The partial files hold one concern each: handshake, sending, receiving, stream reset, shutdown, timers.
/// </para>
/// </summary>
public sealed partial class SctpAssociation
{
    private readonly SctpAssociationOptions _options;
    private readonly TimeProvider _time;
    private readonly byte[] _cookieSecret = RandomNumberGenerator.GetBytes(32);
    private readonly Queue<(Chunk Chunk, uint? Tag)> _control = new();
    private readonly Queue<SctpEvent> _events = new();
    private readonly uint _localTag;
    private readonly uint _localInitialTsn;
    private readonly RtoEstimator _rto;
    private int _eventBytes;
    private int _errorCount;

    /// <summary>An idle association with <paramref name="options"/> (defaults when null), its timers on <paramref name="timeProvider"/> (the system clock when null).</summary>
    public SctpAssociation(SctpAssociationOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new SctpAssociationOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _rto = new RtoEstimator(_options.InitialRto, _options.MinRto, _options.MaxRto);
        _localTag = RandomNonZeroUInt32();
        _localInitialTsn = RandomNonZeroUInt32();
        _nextTsn = _localInitialTsn;
        _cumulativeAckPoint = _localInitialTsn - 1;
        _advancedPeerAckPoint = _cumulativeAckPoint;
        _nextReconfigRequestSeq = _localInitialTsn;
    }

    /// <summary>Where the association is (RFC 9260 section 4).</summary>
    public SctpAssociationState State { get; private set; } = SctpAssociationState.Idle;

    /// <summary>The options it was made with.</summary>
    public SctpAssociationOptions Options => _options;

    /// <summary>Negotiated outbound stream count (0 before the handshake).</summary>
    public ushort OutboundStreams { get; private set; }

    /// <summary>Negotiated inbound stream count (0 before the handshake).</summary>
    public ushort InboundStreams { get; private set; }

    /// <summary>True once the peer announced FORWARD-TSN (RFC 3758).</summary>
    public bool PeerSupportsPartialReliability { get; private set; }
    /// <summary>True once the peer announced RE-CONFIG (RFC 6525).</summary>
    public bool PeerSupportsStreamReset { get; private set; }

    /// <summary>Malformed or misaddressed packets dropped so far, and why the last one was.</summary>
    public long PacketsDropped { get; private set; }
    /// <summary>Why the last packet was dropped, for logs and tests; null if none was.</summary>
    public string? LastDropReason { get; private set; }

    /// <summary>Why the association closed (null while it is not closed).</summary>
    public string? CloseReason { get; private set; }

    /// <summary>The retransmission timeout (RTO) now.</summary>
    public TimeSpan RetransmissionTimeout => _rto.Rto;
    /// <summary>The smoothed round-trip time (SRTT), once measured.</summary>
    public TimeSpan? SmoothedRoundTripTime => _rto.SmoothedRtt;

    /// <summary>Events wait in <see cref="TryPollEvent"/>.</summary>
    public bool HasPendingEvents => _events.Count > 0;

    /// <summary>The next event for the owner. Received messages stay in our window until polled here.</summary>
    public bool TryPollEvent(out SctpEvent sctpEvent)
    {
        if (!_events.TryDequeue(out sctpEvent!))
            return false;
        if (sctpEvent is SctpEvent.MessageReceived message)
        {
            _eventBytes -= message.Data.Length;
            ConsiderWindowUpdate();
        }
        return true;
    }

    /// <summary>Abort at once (RFC 9260 9.1): an ABORT goes out, queued data is discarded.</summary>
    public void Abort(string reason)
    {
        if (State == SctpAssociationState.Closed)
            return;
        if (_receiver is not null)
            EnqueueControl(new AbortChunk(false, [ErrorCause.WithText(ErrorCauseCode.UserInitiatedAbort, reason)]));
        Terminate($"aborted locally: {reason}", aborted: true);
    }

    private bool HasPeer => _receiver is not null;

    private void EnqueueControl(Chunk chunk, uint? tag = null)
    {
        // Dropping beyond the cap is safe: every control chunk that matters is resent by a timer or re-triggered by the peer.
        if (_control.Count < _options.MaxQueuedControlChunks)
            _control.Enqueue((chunk, tag));
    }

    private void Deliver(SctpEvent.MessageReceived message)
    {
        _eventBytes += message.Data.Length;
        _events.Enqueue(message);
    }

    private void Drop(string reason)
    {
        PacketsDropped++;
        LastDropReason = reason;
    }

    /// <summary>The association is over: stop every timer, release buffers, tell the owner once.</summary>
    private void Terminate(string reason, bool aborted)
    {
        if (State == SctpAssociationState.Closed)
            return;
        State = SctpAssociationState.Closed;
        CloseReason = reason;
        _t1Due = _t2Due = _t3Due = _delayedAckDue = _heartbeatDue = _reconfigDue = null;
        _sendQueue.Clear();
        _inflight.Clear();
        _inflightStart = 0;
        _bufferedAmount = 0;
        _bufferedPerStream.Clear();
        _flightSize = 0;
        _events.Enqueue(new SctpEvent.Closed(reason, aborted));
    }

    private void Fail(string reason)
    {
        if (_receiver is not null)
            EnqueueControl(new AbortChunk(false, [ErrorCause.WithText(ErrorCauseCode.ProtocolViolation, reason)]));
        Terminate(reason, aborted: true);
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    private static uint RandomNonZeroUInt32()
    {
        Span<byte> bytes = stackalloc byte[4];
        uint value;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            value = BitConverter.ToUInt32(bytes);
        } while (value == 0);
        return value;
    }
}
