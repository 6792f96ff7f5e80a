using PxpActors.WebRtc.Sctp.Chunks;

namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// The sending half: message queue and fragmentation (RFC 9260 6.9), packet assembly under the congestion
/// and receive windows (6.1, 7.2), SACK processing (6.2.1), T3-rtx and fast retransmit (6.3, 7.2.4), and
/// abandoning partially reliable messages with FORWARD TSN (RFC 3758 3.5).
/// </summary>
public sealed partial class SctpAssociation
{
    // Do not cut a fragment smaller than this just to fill the end of a packet.
    private const int MinFragmentToFillPacket = 128;

    private readonly LinkedList<OutgoingMessage> _sendQueue = new();
    private readonly Dictionary<ushort, ushort> _nextSsn = [];
    private readonly Dictionary<ushort, int> _unfragmentedPerStream = [];
    private readonly Dictionary<ushort, long> _bufferedPerStream = [];
    private readonly List<InflightChunk?> _inflight = [];
    private int _inflightStart;
    private uint _nextTsn;
    private uint _cumulativeAckPoint;
    private uint _advancedPeerAckPoint;
    private bool _forwardTsnPending;
    private long _bufferedAmount;
    private int _flightSize;
    private int _peerRwnd;
    private CongestionControl? _congestion;
    private bool _inFastRecovery;
    private uint _fastRecoveryExitPoint;
    private bool _fastRetransmitBurst;
    private int _markedForRetransmit;
    private uint _peerTag;

    /// <summary>Bytes accepted by <see cref="TrySend"/> and not yet acknowledged or abandoned (a bufferedAmount).</summary>
    public long BufferedAmount => _bufferedAmount;

    /// <summary>Bytes queued or in flight on stream <paramref name="streamId"/>.</summary>
    public long BufferedAmountOf(ushort streamId) => _bufferedPerStream.GetValueOrDefault(streamId);

    /// <summary>The congestion window (cwnd) in bytes.</summary>
    public int CongestionWindow => _congestion?.Cwnd ?? 0;
    /// <summary>The slow-start threshold (ssthresh) in bytes.</summary>
    public int SlowStartThreshold => _congestion?.Ssthresh ?? 0;
    /// <summary>The peer's advertised receive window in bytes.</summary>
    public int PeerReceiveWindow => _peerRwnd;
    /// <summary>Bytes sent and not yet acknowledged.</summary>
    public int FlightSize => _flightSize;
    /// <summary>True during fast recovery (RFC 9260 section 7.2.4).</summary>
    public bool InFastRecovery => _inFastRecovery;

    /// <summary>
    /// Queues a message. Returns false when the send buffer is full (backpressure: wait for
    /// <see cref="BufferedAmount"/> to drop); one message is always accepted into an empty buffer.
    /// Throws for a message that can never be sent (empty, too large, bad stream, stream being reset, closing).
    /// </summary>
    public bool TrySend(ushort streamId, uint payloadProtocolId, ReadOnlyMemory<byte> data, SctpSendOptions? options = null)
    {
        options ??= SctpSendOptions.Reliable;
        options.Validate();
        if (State is not (SctpAssociationState.Idle or SctpAssociationState.CookieWait or SctpAssociationState.CookieEchoed or SctpAssociationState.Established))
            throw new InvalidOperationException($"Cannot send in state {State}.");
        if (data.IsEmpty)
            throw new ArgumentException("SCTP cannot carry an empty message (WebRTC sends empty ones as one byte with PPID 56/57).", nameof(data));
        if (data.Length > _options.SendMessageLimit)
            throw new ArgumentException($"Message of {data.Length} bytes exceeds the maximum message size {_options.SendMessageLimit}.", nameof(data));
        if (OutboundStreams > 0 && streamId >= OutboundStreams)
            throw new ArgumentOutOfRangeException(nameof(streamId), streamId, $"Only {OutboundStreams} outbound streams were negotiated.");
        if (_resetStates.ContainsKey(streamId))
            throw new InvalidOperationException($"Stream {streamId} is being reset; its id cannot be used until both directions are reset.");
        if (_bufferedAmount > 0 && _bufferedAmount + data.Length > _options.SendBufferSize)
            return false;

        var expiresAt = options.MaxLifetime is { } lifetime ? Now + lifetime : (DateTimeOffset?)null;
        var message = new OutgoingMessage(streamId, payloadProtocolId, data.ToArray(), options, expiresAt);
        message.QueueNode = _sendQueue.AddLast(message);
        _unfragmentedPerStream[streamId] = _unfragmentedPerStream.GetValueOrDefault(streamId) + 1;
        _bufferedAmount += data.Length;
        _bufferedPerStream[streamId] = _bufferedPerStream.GetValueOrDefault(streamId) + data.Length;
        return true;
    }

    /// <summary>The next packet to send, or null when there is nothing to send right now.</summary>
    public byte[]? PollPacket()
    {
        if (_control.TryPeek(out var head) && head.Tag is { } reflectedTag)
        {
            _control.Dequeue();
            return Seal(reflectedTag, [head.Chunk]);
        }
        if (!HasPeer)
            return null;

        // Every chunk, the last one too, is padded to a 4-byte word (RFC 9260 3.2), so packets come in whole words.
        var budget = (_options.MaxPacketSize & ~3) - SctpPacket.CommonHeaderLength;
        var chunks = new List<Chunk>();
        while (_control.TryPeek(out var next) && next.Tag is null)
        {
            if (next.Chunk.PaddedLength > budget)
            {
                if (chunks.Count > 0)
                    break;
                _control.Dequeue(); // can never fit in any packet: drop it rather than wedge the queue
                continue;
            }
            _control.Dequeue();
            chunks.Add(next.Chunk);
            budget -= next.Chunk.PaddedLength;
        }
        if (State != SctpAssociationState.Closed)
        {
            // A SACK held back by the delayed-ack timer rides along with DATA going out anyway (RFC 9260 6.2):
            // a request/response exchange then never sends a SACK of its own nor waits for the timer.
            if (_delayedAckDue is not null && HasDataReadyToSend)
                _sackPending = true;
            AddSack(chunks, ref budget);
            AddForwardTsn(chunks, ref budget);
            AddReconfigRequest(chunks, ref budget);
            if (State is SctpAssociationState.Established or SctpAssociationState.ShutdownPending or SctpAssociationState.ShutdownReceived)
                AddData(chunks, ref budget);
        }
        return chunks.Count == 0 ? null : Seal(_peerTag, chunks);
    }

    /// <summary>DATA that <see cref="AddData"/> would put in the next packet (windows permitting).</summary>
    private bool HasDataReadyToSend =>
        State is SctpAssociationState.Established or SctpAssociationState.ShutdownPending or SctpAssociationState.ShutdownReceived
        && (_markedForRetransmit > 0 || (_sendQueue.First is not null && _flightSize < _congestion!.Cwnd && (_peerRwnd > 0 || _flightSize == 0)));

    private byte[] Seal(uint tag, List<Chunk> chunks) =>
        new SctpPacket(_options.LocalPort, _options.RemotePort, tag, chunks).ToArray();

    private void AddData(List<Chunk> chunks, ref int budget)
    {
        var now = Now;
        var sentData = false;
        if (_markedForRetransmit > 0)
        {
            for (var i = _inflightStart; i < _inflight.Count && _markedForRetransmit > 0; i++)
            {
                var c = _inflight[i]!;
                if (!c.MarkedForRetransmit)
                    continue;
                if (!_fastRetransmitBurst && _flightSize > 0 && _flightSize >= _congestion!.Cwnd)
                    break;
                if (c.Chunk.PaddedLength > budget)
                    break;
                c.MarkedForRetransmit = false;
                _markedForRetransmit--;
                ChunksRetransmitted++;
                PutInFlight(c, now);
                chunks.Add(c.Chunk);
                budget -= c.Chunk.PaddedLength;
                sentData = true;
            }
            _fastRetransmitBurst = false;
        }
        // New data only once every loss has been repaired (RFC 9260 6.1 rule C).
        while (_markedForRetransmit == 0 && budget > DataChunk.DataHeaderLength)
        {
            if (_flightSize >= _congestion!.Cwnd)
                break;
            var room = budget - DataChunk.DataHeaderLength;
            if (_flightSize > 0 && _peerRwnd < Math.Min(room, NextFragmentSize()))
                break; // zero-window probing sends one chunk only when nothing is in flight (6.1 rule A)
            var c = TakeNextFragment(room, now, isFirstInPacket: !sentData);
            if (c is null)
                break;
            PutInFlight(c, now);
            chunks.Add(c.Chunk);
            budget -= c.Chunk.PaddedLength;
            sentData = true;
            if (_peerRwnd == 0)
                break;
        }
        if (sentData && _t3Due is null)
            _t3Due = now + _rto.Rto;
    }

    private int NextFragmentSize()
    {
        var first = _sendQueue.First?.Value;
        return first is null ? 0 : first.Data.Length - first.FragmentedBytes;
    }

    private void PutInFlight(InflightChunk c, DateTimeOffset now)
    {
        c.TransmitCount++;
        c.SentAt = now;
        c.InFlight = true;
        _flightSize += c.Size;
        _peerRwnd = Math.Max(0, _peerRwnd - c.Size);
    }

    private InflightChunk? TakeNextFragment(int room, DateTimeOffset now, bool isFirstInPacket)
    {
        while (_sendQueue.First is { } node)
        {
            var m = node.Value;
            if (m.FragmentedBytes == 0 && m.ExpiresAt is { } expiry && now >= expiry && PeerSupportsPartialReliability)
            {
                // Expired before its first transmission: it never gets a TSN, so no FORWARD TSN is needed.
                RemoveFromSendQueue(m);
                Release(m, m.UnacknowledgedBytes);
                continue;
            }
            var remaining = m.Data.Length - m.FragmentedBytes;
            var length = Math.Min(remaining, room);
            if (length < remaining && length < MinFragmentToFillPacket && !isFirstInPacket)
                return null;
            if (m.FragmentedBytes == 0 && !m.Unordered)
            {
                var ssn = _nextSsn.GetValueOrDefault(m.StreamId);
                m.StreamSequenceNumber = ssn;
                _nextSsn[m.StreamId] = (ushort)(ssn + 1);
            }
            var chunk = new DataChunk(_nextTsn++, m.StreamId, m.Unordered ? (ushort)0 : m.StreamSequenceNumber, m.PayloadProtocolId,
                m.Data.Slice(m.FragmentedBytes, length), m.Unordered, Beginning: m.FragmentedBytes == 0, Ending: length == remaining);
            m.FragmentedBytes += length;
            if (m.FullyFragmented)
                RemoveFromSendQueue(m);
            var inflight = new InflightChunk(chunk, m);
            _inflight.Add(inflight);
            return inflight;
        }
        return null;
    }

    private void RemoveFromSendQueue(OutgoingMessage m)
    {
        if (m.QueueNode is null)
            return;
        _sendQueue.Remove(m.QueueNode);
        m.QueueNode = null;
        var left = _unfragmentedPerStream[m.StreamId] - 1;
        if (left == 0)
            _unfragmentedPerStream.Remove(m.StreamId);
        else
            _unfragmentedPerStream[m.StreamId] = left;
    }

    private void Release(OutgoingMessage m, int bytes)
    {
        if (bytes == 0)
            return;
        m.UnacknowledgedBytes -= bytes;
        _bufferedAmount -= bytes;
        var left = _bufferedPerStream.GetValueOrDefault(m.StreamId) - bytes;
        if (left <= 0)
            _bufferedPerStream.Remove(m.StreamId);
        else
            _bufferedPerStream[m.StreamId] = left;
    }

    private void ReleaseChunk(InflightChunk c)
    {
        if (c.Released)
            return;
        c.Released = true;
        Release(c.Message, c.Size);
    }

    private void TakeOutOfFlight(InflightChunk c)
    {
        if (!c.InFlight)
            return;
        c.InFlight = false;
        _flightSize -= c.Size;
    }

    private void MarkForRetransmit(InflightChunk c)
    {
        TakeOutOfFlight(c);
        if (!c.MarkedForRetransmit)
        {
            c.MarkedForRetransmit = true;
            _markedForRetransmit++;
        }
    }

    private void Unmark(InflightChunk c)
    {
        if (c.MarkedForRetransmit)
        {
            c.MarkedForRetransmit = false;
            _markedForRetransmit--;
        }
    }

    private bool HasOutstanding => _inflightStart < _inflight.Count;

    private InflightChunk? FindInflight(uint tsn)
    {
        if (!HasOutstanding)
            return null;
        var offset = tsn - _inflight[_inflightStart]!.Chunk.Tsn;
        var index = _inflightStart + (long)offset;
        return offset < int.MaxValue && index < _inflight.Count ? _inflight[(int)index] : null;
    }

    private void HandleSack(SackChunk sack)
    {
        if (!HasPeer || State is SctpAssociationState.CookieEchoed or SctpAssociationState.Closed)
            return;
        var cumulative = sack.CumulativeTsnAck;
        if (SerialNumber.Less(cumulative, _cumulativeAckPoint))
            return; // an old SACK that arrived late (6.2.1 D i)
        if (SerialNumber.GreaterOrEqual(cumulative, _nextTsn))
        {
            Drop($"SACK acknowledges TSN {cumulative} that was never sent");
            return;
        }
        var now = Now;
        var flightBefore = _flightSize;
        var cumulativeAdvanced = SerialNumber.Greater(cumulative, _cumulativeAckPoint);
        var bytesAcked = 0;
        uint? highestNewlyAcked = null;
        InflightChunk? rttSample = null;

        while (HasOutstanding && SerialNumber.LessOrEqual(_inflight[_inflightStart]!.Chunk.Tsn, cumulative))
        {
            var c = _inflight[_inflightStart]!;
            _inflight[_inflightStart++] = null;
            if (!c.GapAcked)
            {
                if (!c.Abandoned)
                    bytesAcked += c.Size;
                highestNewlyAcked = c.Chunk.Tsn;
                if (c.TransmitCount == 1)
                    rttSample = c;
            }
            TakeOutOfFlight(c);
            Unmark(c);
            ReleaseChunk(c);
        }
        _cumulativeAckPoint = cumulative;
        if (SerialNumber.Less(_advancedPeerAckPoint, cumulative))
            _advancedPeerAckPoint = cumulative;
        CompactInflight();

        var highestSent = _nextTsn - 1;
        foreach (var block in sack.GapAckBlocks)
        {
            // Clamp to what we sent, so a hostile SACK cannot make us walk 65535 TSNs per block.
            var end = cumulative + block.End;
            if (SerialNumber.Greater(end, highestSent))
                end = highestSent;
            for (var tsn = cumulative + block.Start; SerialNumber.LessOrEqual(tsn, end); tsn++)
            {
                if (FindInflight(tsn) is not { GapAcked: false } c)
                    continue;
                c.GapAcked = true;
                if (!c.Abandoned)
                    bytesAcked += c.Size;
                if (highestNewlyAcked is null || SerialNumber.Greater(tsn, highestNewlyAcked.Value))
                    highestNewlyAcked = tsn;
                if (c.TransmitCount == 1 && !c.MarkedForRetransmit)
                    rttSample ??= c;
                TakeOutOfFlight(c);
                Unmark(c);
                ReleaseChunk(c);
            }
        }

        if (rttSample is not null)
            _rto.OnMeasurement(now - rttSample.SentAt);
        _peerRwnd = (int)Math.Max(0, Math.Min(sack.AdvertisedReceiverWindowCredit, int.MaxValue) - _flightSize);
        if (_inFastRecovery && SerialNumber.GreaterOrEqual(cumulative, _fastRecoveryExitPoint))
            _inFastRecovery = false;
        if (highestNewlyAcked is { } highest)
            CountMissIndications(highest);
        _congestion!.OnAcknowledged(bytesAcked, cumulativeAdvanced, flightBefore, _flightSize, _inFastRecovery);
        // A SACK closing the window shows a live peer whose application is slow: zero-window probes that
        // go unanswered must not count toward declaring it unreachable (RFC 9260 6.1).
        if (bytesAcked > 0 || cumulativeAdvanced || sack.AdvertisedReceiverWindowCredit < _options.MaxPacketSize)
            _errorCount = 0;
        if (!HasOutstanding)
            _t3Due = null;
        else if (cumulativeAdvanced)
            _t3Due = now + _rto.Rto;
        AdvancePeerAckPoint();
    }

    /// <summary>RFC 9260 7.2.4: three SACKs reporting a TSN missing below newly acknowledged data mean loss.</summary>
    private void CountMissIndications(uint highestNewlyAcked)
    {
        var newlyMarked = false;
        for (var i = _inflightStart; i < _inflight.Count; i++)
        {
            var c = _inflight[i]!;
            if (SerialNumber.GreaterOrEqual(c.Chunk.Tsn, highestNewlyAcked))
                break;
            if (c.GapAcked || c.Abandoned || c.MarkedForRetransmit || c.FastRetransmitted)
                continue;
            if (++c.MissIndications < 3)
                continue;
            c.MissIndications = 0;
            if (ShouldAbandon(c))
                AbandonMessage(c.Message);
            else
            {
                MarkForRetransmit(c);
                c.FastRetransmitted = true;
                newlyMarked = true;
            }
        }
        if (newlyMarked && !_inFastRecovery)
        {
            _inFastRecovery = true;
            _fastRecoveryExitPoint = _nextTsn - 1;
            _congestion!.OnFastRetransmit();
            _fastRetransmitBurst = true;
            FastRetransmits++;
        }
    }

    private void OnT3Expired()
    {
        _t3Due = null;
        if (!HasOutstanding || State == SctpAssociationState.Closed)
            return;
        if (++_errorCount > _options.MaxAssociationRetransmits)
        {
            Fail($"peer unreachable: {_errorCount - 1} retransmission timeouts in a row");
            return;
        }
        RetransmissionTimeouts++;
        _rto.BackOff();
        _congestion!.OnRetransmissionTimeout();
        _inFastRecovery = false;
        for (var i = _inflightStart; i < _inflight.Count; i++)
        {
            var c = _inflight[i]!;
            if (c.GapAcked || c.Abandoned)
                continue;
            if (ShouldAbandon(c))
                AbandonMessage(c.Message);
            else
            {
                c.MissIndications = 0;
                c.FastRetransmitted = false;
                MarkForRetransmit(c);
            }
        }
        AdvancePeerAckPoint();
        _t3Due = Now + _rto.Rto;
    }

    private bool ShouldAbandon(InflightChunk c) =>
        PeerSupportsPartialReliability && c.Message.IsPartiallyReliable
        && (c.Message.MaxRetransmits is { } max && c.TransmitCount > max || c.Message.ExpiresAt is { } expiry && Now >= expiry);

    /// <summary>Gives up on a whole message: its chunks become abandoned and its unsent rest is dropped.</summary>
    private void AbandonMessage(OutgoingMessage m)
    {
        if (m.Abandoned)
            return;
        m.Abandoned = true;
        RemoveFromSendQueue(m);
        for (var i = _inflightStart; i < _inflight.Count; i++)
        {
            var c = _inflight[i]!;
            if (c.Message != m)
                continue;
            c.Abandoned = true;
            c.Released = true;
            TakeOutOfFlight(c);
            Unmark(c);
        }
        Release(m, m.UnacknowledgedBytes);
        MessagesAbandoned++;
    }

    /// <summary>Messages given up under partial reliability so far.</summary>
    public long MessagesAbandoned { get; private set; }

    /// <summary>T3-rtx expiries so far (each one collapses the congestion window).</summary>
    public long RetransmissionTimeouts { get; private set; }

    /// <summary>Fast retransmits entered on three miss indications so far.</summary>
    public long FastRetransmits { get; private set; }

    /// <summary>DATA chunks sent again (after a timeout or a fast retransmit) so far.</summary>
    public long ChunksRetransmitted { get; private set; }

    /// <summary>RFC 3758 3.5 C: move the Advanced.Peer.Ack.Point over abandoned chunks and announce it.</summary>
    private void AdvancePeerAckPoint()
    {
        if (!PeerSupportsPartialReliability)
            return;
        for (var c = FindInflight(_advancedPeerAckPoint + 1); c is { Abandoned: true }; c = FindInflight(_advancedPeerAckPoint + 1))
            _advancedPeerAckPoint = c.Chunk.Tsn;
        if (SerialNumber.Greater(_advancedPeerAckPoint, _cumulativeAckPoint))
            _forwardTsnPending = true;
    }

    private void AddForwardTsn(List<Chunk> chunks, ref int budget)
    {
        if (!_forwardTsnPending)
            return;
        var skips = new Dictionary<ushort, ushort>();
        for (var i = _inflightStart; i < _inflight.Count; i++)
        {
            var c = _inflight[i]!;
            if (SerialNumber.Greater(c.Chunk.Tsn, _advancedPeerAckPoint))
                break;
            if (!c.Chunk.Unordered)
                skips[c.Chunk.StreamId] = c.Chunk.StreamSequenceNumber;
        }
        var forward = new ForwardTsnChunk(_advancedPeerAckPoint, skips.Select(s => new ForwardTsnStream(s.Key, s.Value)).ToList());
        if (forward.PaddedLength > budget)
            return;
        chunks.Add(forward);
        budget -= forward.PaddedLength;
        _forwardTsnPending = false;
    }

    private void CompactInflight()
    {
        if (_inflightStart == _inflight.Count)
        {
            _inflight.Clear();
            _inflightStart = 0;
        }
        else if (_inflightStart > 1024 && _inflightStart > _inflight.Count / 2)
        {
            _inflight.RemoveRange(0, _inflightStart);
            _inflightStart = 0;
        }
    }
}
