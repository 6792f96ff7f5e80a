using PxpActors.WebRtc.Sctp.Chunks;

namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// The sending half: message queue and fragmentation (RFC 9260 6.9), packet assembly under the congestion
/// and receive windows (6.1, 7.2), SACK processing (6.2.1), T3-rtx and fast retransmit (6.3, 7.2.4), loss
/// at the tail of a flight (a probe timer and early retransmit, after RFC 8985 TLP and RFC 5827), and
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
        var sentNewData = false;
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
            sentData = sentNewData = true;
            if (_peerRwnd == 0)
                break;
        }
        if (sentNewData && _sendQueue.First is null && _flightSize > _options.MaxPacketSize)
        {
            // The end of a burst: the peer is asked to SACK it at once (RFC 7053) rather than after its delayed-ack
            // time, so the probe timer need not allow for that and a lost tail is found a few RTTs later.
            var tail = _inflight[^1]!;
            tail.Chunk = tail.Chunk with { ImmediateAck = true };
            chunks[^1] = tail.Chunk;
        }
        if (sentData && _t3Due is null)
            _t3Due = now + _rto.Rto;
        // Only new data restarts the probe timer: a probe or a retransmission arming it again would probe an
        // unreachable peer every few RTTs, where T3-rtx backs off.
        if (sentNewData)
            ArmTailLossProbe(now);
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
        // Once the last TSN sent is acknowledged and nothing waits to be sent, no later SACK will report the
        // holes below it again: three miss indications would never come, so one is enough (early retransmit).
        var tailAcknowledged = HasOutstanding && _sendQueue.First is null && _inflight[^1] is { GapAcked: true };
        if (tailAcknowledged)
            CountMissIndications(_nextTsn - 1, threshold: 1);
        else if (highestNewlyAcked is { } highest)
            CountMissIndications(highest, threshold: 3);
        _congestion!.OnAcknowledged(bytesAcked, cumulativeAdvanced, flightBefore, _flightSize, _inFastRecovery);
        // A SACK closing the window shows a live peer whose application is slow: zero-window probes that
        // go unanswered must not count toward declaring it unreachable (RFC 9260 6.1).
        if (bytesAcked > 0 || cumulativeAdvanced || sack.AdvertisedReceiverWindowCredit < _options.MaxPacketSize)
            _errorCount = 0;
        if (!HasOutstanding)
            _t3Due = _probeDue = null;
        else
        {
            if (cumulativeAdvanced)
                _t3Due = now + _rto.Rto;
            if (bytesAcked > 0)
                ArmTailLossProbe(now);
        }
        AdvancePeerAckPoint();
    }

    /// <summary>
    /// RFC 9260 7.2.4: <paramref name="threshold"/> SACKs (three, RFC 9260's) reporting a TSN missing below
    /// <paramref name="highestNewlyAcked"/> mean loss.
    /// </summary>
    private void CountMissIndications(uint highestNewlyAcked, int threshold)
    {
        var newlyMarked = false;
        for (var i = _inflightStart; i < _inflight.Count; i++)
        {
            var c = _inflight[i]!;
            if (SerialNumber.GreaterOrEqual(c.Chunk.Tsn, highestNewlyAcked))
                break;
            if (c.GapAcked || c.Abandoned || c.MarkedForRetransmit || c.FastRetransmitted)
                continue;
            if (++c.MissIndications < threshold)
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
            if (threshold < 3)
                EarlyRetransmits++;
        }
    }

    /// <summary>
    /// How long data may go unacknowledged before a tail-loss probe (RFC 8985 7.2): two smoothed RTTs, with
    /// the peer's delayed-ack allowance when a single packet is in flight that did not ask for an immediate SACK
    /// (a request waiting for its answer: the peer may hold its SACK back to ride along with it).
    /// Null while there is no RTT sample yet: then T3-rtx alone watches the flight.
    /// </summary>
    private TimeSpan? ProbeTimeout()
    {
        if (_rto.SmoothedRtt is not { } srtt)
            return null;
        var timeout = srtt * 2;
        if (timeout < _options.MinProbeTimeout)
            timeout = _options.MinProbeTimeout;
        if (_flightSize <= _options.MaxPacketSize && !_inflight[^1]!.Chunk.ImmediateAck)
            timeout += _options.DelayedAckTimeout;
        return timeout;
    }

    /// <summary>(Re)starts the probe timer after sending data or on acknowledgement progress; T3-rtx stays the backstop.</summary>
    private void ArmTailLossProbe(DateTimeOffset now)
    {
        _probeDue = ProbeTimeout() is { } timeout && (_t3Due is not { } t3 || now + timeout < t3) ? now + timeout : null;
    }

    /// <summary>
    /// Nothing was acknowledged for a probe timeout: the end of the flight (or the SACKs for it) may be lost,
    /// and no later data will bring miss indications. The highest outstanding chunk goes again, outside the
    /// congestion window; the SACK it draws shows the peer's holes, which early retransmit then repairs (RFC 8985 7.3).
    /// </summary>
    private void OnProbeExpired()
    {
        _probeDue = null;
        if (!HasOutstanding || State == SctpAssociationState.Closed)
            return;
        for (var i = _inflight.Count - 1; i >= _inflightStart; i--)
        {
            var c = _inflight[i]!;
            if (c.GapAcked || c.Abandoned)
                continue;
            if (!c.MarkedForRetransmit)
                MarkForRetransmit(c);
            _fastRetransmitBurst = true; // one packet regardless of cwnd, as a probe is
            TailLossProbes++;
            return;
        }
    }

    private void OnT3Expired()
    {
        _t3Due = _probeDue = null;
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

    /// <summary>Fast retransmits entered on miss indications so far (early retransmits included).</summary>
    public long FastRetransmits { get; private set; }

    /// <summary>Fast retransmits entered on a single miss indication because the tail of the flight was acknowledged.</summary>
    public long EarlyRetransmits { get; private set; }

    /// <summary>Tail-loss probes sent so far (a chunk sent again because nothing was acknowledged for a probe timeout).</summary>
    public long TailLossProbes { get; private set; }

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
