using PxpActors.WebRtc.Sctp.Chunks;
using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// Stream reset with RE-CONFIG (RFC 6525), as WebRTC closes data channels (RFC 8831 6.7): we reset our
/// outgoing side; the peer resets its outgoing side in answer. An incoming reset we did not start is
/// answered with our own (the trap that leaves browsers' channels stuck "closing"). One request
/// outstanding at a time (RFC 6525 5.1.1), retransmitted on a timer; deferred while data is missing.
/// </summary>
public sealed partial class SctpAssociation
{
    // Keeps a request inside one packet: header, chunk, parameter and 16-bit stream numbers.
    private const int MaxStreamsPerResetRequest = 256;

    private readonly Dictionary<ushort, StreamResetState> _resetStates = [];
    private readonly SortedSet<ushort> _streamsAwaitingReset = [];
    private OutgoingSsnResetRequestParameter? _outstandingReset;
    private bool _resetRequestToSend;
    private uint _nextReconfigRequestSeq;
    private uint _peerExpectedReconfigSeq;
    private OutgoingSsnResetRequestParameter? _deferredIncomingReset;
    private ReconfigurationResult _lastIncomingResetResult = ReconfigurationResult.SuccessNothingToDo;

    /// <summary>True from the moment a stream's reset starts (either side) until both directions are reset.</summary>
    public bool IsStreamResetPending(ushort streamId) => _resetStates.ContainsKey(streamId);

    /// <summary>
    /// Resets our outgoing side of the streams once the messages already queued on them are sent
    /// (the request names the last TSN assigned). Sending on them is refused until both directions are reset.
    /// </summary>
    public void ResetStreams(IEnumerable<ushort> streamIds)
    {
        if (State != SctpAssociationState.Established)
            throw new InvalidOperationException($"Streams can only be reset on an established association (state {State}).");
        if (!PeerSupportsStreamReset)
            throw new NotSupportedException("The peer did not announce RE-CONFIG support (RFC 6525).");
        var ids = streamIds.ToList();
        if (ids.Any(id => id >= OutboundStreams))
            throw new ArgumentOutOfRangeException(nameof(streamIds), $"Only {OutboundStreams} outbound streams were negotiated.");
        foreach (var id in ids)
            RequestOutgoingReset(id);
        TryStartResetRequest();
    }

    private void RequestOutgoingReset(ushort id)
    {
        if (!_resetStates.TryGetValue(id, out var state))
            _resetStates[id] = state = new StreamResetState();
        if (state.OutgoingRequested || state.OutgoingDone)
            return;
        state.OutgoingRequested = true;
        _streamsAwaitingReset.Add(id);
    }

    private void TryStartResetRequest()
    {
        if (_outstandingReset is not null || _streamsAwaitingReset.Count == 0 || !HasPeer
            || State is not (SctpAssociationState.Established or SctpAssociationState.ShutdownPending))
            return;
        // A stream is ready once nothing of it waits for a TSN; data already in flight is covered by the last TSN.
        var ready = _streamsAwaitingReset.Where(id => !_unfragmentedPerStream.ContainsKey(id)).Take(MaxStreamsPerResetRequest).ToList();
        if (ready.Count == 0)
            return;
        foreach (var id in ready)
            _streamsAwaitingReset.Remove(id);
        _outstandingReset = new OutgoingSsnResetRequestParameter(_nextReconfigRequestSeq++, _peerExpectedReconfigSeq - 1, _nextTsn - 1, ready);
        _resetRequestToSend = true;
        _reconfigDue = Now + _rto.Rto;
    }

    private void AddReconfigRequest(List<Chunk> chunks, ref int budget)
    {
        if (!_resetRequestToSend || _outstandingReset is null)
            return;
        var chunk = new ReConfigChunk([_outstandingReset]);
        if (chunk.PaddedLength > budget)
            return;
        chunks.Add(chunk);
        budget -= chunk.PaddedLength;
        _resetRequestToSend = false;
    }

    private void OnReconfigTimerExpired()
    {
        _reconfigDue = null;
        if (_outstandingReset is null || State == SctpAssociationState.Closed)
            return;
        if (++_errorCount > _options.MaxAssociationRetransmits)
        {
            Fail($"stream reset request unanswered after {_errorCount - 1} retransmissions");
            return;
        }
        _resetRequestToSend = true;
        _reconfigDue = Now + _rto.Rto;
    }

    private void HandleReconfig(ReConfigChunk reconfig)
    {
        if (!HasPeer || State is SctpAssociationState.CookieEchoed or SctpAssociationState.Closed)
            return;
        var responses = new List<Parameter>();
        foreach (var parameter in reconfig.Parameters)
        {
            switch (parameter)
            {
                case OutgoingSsnResetRequestParameter request:
                    responses.Add(HandleIncomingResetRequest(request));
                    break;
                case ReconfigurationResponseParameter response:
                    HandleResetResponse(response);
                    break;
                case IncomingSsnResetRequestParameter request:
                    responses.Add(RefuseRequest(request.RequestSequenceNumber));
                    break;
                case UnknownParameter { Type: ParameterType.SsnTsnResetRequest or ParameterType.AddOutgoingStreamsRequest or ParameterType.AddIncomingStreamsRequest } other
                    when other.Value.Length >= 4:
                    responses.Add(RefuseRequest(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(other.Value.Span)));
                    break;
            }
        }
        if (responses.Count > 0)
            EnqueueControl(new ReConfigChunk(responses));
    }

    /// <summary>WebRTC uses only outgoing resets; other requests are refused in sequence.</summary>
    private ReconfigurationResponseParameter RefuseRequest(uint sequence)
    {
        if (sequence == _peerExpectedReconfigSeq)
        {
            _peerExpectedReconfigSeq++;
            _lastIncomingResetResult = ReconfigurationResult.Denied;
            return new(sequence, ReconfigurationResult.Denied);
        }
        return new(sequence, sequence == _peerExpectedReconfigSeq - 1 ? _lastIncomingResetResult : ReconfigurationResult.ErrorBadSequenceNumber);
    }

    private ReconfigurationResponseParameter HandleIncomingResetRequest(OutgoingSsnResetRequestParameter request)
    {
        var sequence = request.RequestSequenceNumber;
        if (sequence == _peerExpectedReconfigSeq - 1)
            return new(sequence, _lastIncomingResetResult); // a retransmission: same answer, or the deferred one's outcome
        if (sequence != _peerExpectedReconfigSeq)
            return new(sequence, ReconfigurationResult.ErrorBadSequenceNumber);
        _peerExpectedReconfigSeq++;
        if (SerialNumber.LessOrEqual(request.SendersLastAssignedTsn, _receiver!.CumulativeTsn))
        {
            PerformIncomingReset(request.Streams);
            _lastIncomingResetResult = ReconfigurationResult.SuccessPerformed;
        }
        else
        {
            // RFC 6525 5.2.2: data before the reset point is still missing; finish it when it arrives.
            _deferredIncomingReset = request;
            _lastIncomingResetResult = ReconfigurationResult.InProgress;
        }
        return new(sequence, _lastIncomingResetResult);
    }

    private void PerformDeferredIncomingReset()
    {
        if (_deferredIncomingReset is not { } request || !SerialNumber.LessOrEqual(request.SendersLastAssignedTsn, _receiver!.CumulativeTsn))
            return;
        _deferredIncomingReset = null;
        PerformIncomingReset(request.Streams);
        _lastIncomingResetResult = ReconfigurationResult.SuccessPerformed;
    }

    private void PerformIncomingReset(IReadOnlyList<ushort> streams)
    {
        _receiver!.ResetStreams(streams);
        _events.Enqueue(new SctpEvent.IncomingStreamsReset(streams));
        var closed = new List<ushort>();
        foreach (var id in streams)
        {
            if (!_resetStates.TryGetValue(id, out var state))
                _resetStates[id] = state = new StreamResetState();
            state.IncomingDone = true;
            // The peer closed first: close our side too, or its channel never leaves "closing".
            if (State is SctpAssociationState.Established or SctpAssociationState.ShutdownPending && PeerSupportsStreamReset)
                RequestOutgoingReset(id);
            if (state.Closed)
            {
                _resetStates.Remove(id);
                closed.Add(id);
            }
        }
        if (closed.Count > 0)
            _events.Enqueue(new SctpEvent.StreamsClosed(closed));
        TryStartResetRequest();
    }

    private void HandleResetResponse(ReconfigurationResponseParameter response)
    {
        if (_outstandingReset is not { } request || response.ResponseSequenceNumber != request.RequestSequenceNumber)
            return;
        if (response.Result == ReconfigurationResult.InProgress)
        {
            _errorCount = 0; // the peer is alive, just waiting for data; ask again after an RTO
            return;
        }
        _outstandingReset = null;
        _resetRequestToSend = false;
        _reconfigDue = null;
        var succeeded = response.Result is ReconfigurationResult.SuccessPerformed or ReconfigurationResult.SuccessNothingToDo;
        var closed = new List<ushort>();
        foreach (var id in request.Streams)
        {
            if (!_resetStates.TryGetValue(id, out var state))
                continue;
            state.OutgoingRequested = false;
            if (succeeded)
            {
                _nextSsn.Remove(id);
                state.OutgoingDone = true;
                if (state.Closed)
                {
                    _resetStates.Remove(id);
                    closed.Add(id);
                }
            }
            else
            {
                // Refused: the id cannot be closed cleanly; free it rather than leave it pending forever.
                _resetStates.Remove(id);
                if (state.IncomingDone)
                    closed.Add(id);
            }
        }
        _events.Enqueue(new SctpEvent.OutgoingStreamsReset(request.Streams, succeeded));
        if (closed.Count > 0)
            _events.Enqueue(new SctpEvent.StreamsClosed(closed));
        TryStartResetRequest();
    }
}
