using PxpActors.WebRtc.Sctp.Chunks;
using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// Packet intake: verification-tag rules (RFC 9260 8.5), chunk dispatch, DATA and SACK scheduling
/// (6.2: every second packet at once, otherwise after the delayed-ack timeout, immediately on gaps and
/// duplicates), window updates, HEARTBEAT answers.
/// </summary>
public sealed partial class SctpAssociation
{
    private DataReceiver? _receiver;
    private bool _sackPending;
    private bool _sackImmediately;
    private bool _dataInPacket;
    private int _packetsSinceSack;
    private uint _lastAdvertisedRwnd;

    /// <summary>A SACK (a window update, say) or a control chunk waits to be sent: the owner should poll packets soon.</summary>
    public bool HasUrgentOutput => _sackPending || _control.Count > 0;

    /// <summary>
    /// <see cref="PollPacket"/> has something to send now (or the association just closed): the owner's sender must
    /// run. When false, only <see cref="NextTimeout"/> can have moved (a delayed SACK was scheduled, say).
    /// </summary>
    internal bool HasOutput => HasUrgentOutput || _forwardTsnPending || _resetRequestToSend || HasDataReadyToSend
        || State == SctpAssociationState.Closed;

    /// <summary>The window we would advertise now: buffer minus fragments, held messages and undrained events.</summary>
    public int OurReceiveWindow => Math.Max(0, _options.ReceiveBufferSize - (_receiver?.BytesHeld ?? 0) - _eventBytes);

    /// <summary>Feeds one received datagram. Malformed or misaddressed packets are counted and dropped.</summary>
    public void HandlePacket(ReadOnlySpan<byte> datagram)
    {
        if (State == SctpAssociationState.Closed)
            return;
        SctpPacket packet;
        try
        {
            packet = SctpPacket.Parse(datagram);
        }
        catch (SctpProtocolException e)
        {
            Drop(e.Message);
            return;
        }
        if (packet.DestinationPort != _options.LocalPort || packet.SourcePort != _options.RemotePort)
        {
            Drop($"packet for ports {packet.SourcePort}->{packet.DestinationPort}");
            return;
        }
        if (!VerificationTagAccepted(packet))
        {
            Drop($"verification tag {packet.VerificationTag:x8} refused");
            return;
        }

        _dataInPacket = false;
        _sackImmediately = false;
        try
        {
            foreach (var chunk in packet.Chunks)
            {
                if (!Dispatch(chunk) || State == SctpAssociationState.Closed)
                    break;
            }
        }
        catch (SctpProtocolException e)
        {
            Fail($"protocol violation by peer: {e.Message}");
            return;
        }
        if (State == SctpAssociationState.Closed)
            return;
        if (_dataInPacket)
            ScheduleSack();
        AfterProgress();
    }

    /// <summary>Work that becomes possible when data is acknowledged or delivered.</summary>
    private void AfterProgress()
    {
        PerformDeferredIncomingReset();
        TryStartResetRequest();
        TryProgressShutdown();
    }

    private bool VerificationTagAccepted(SctpPacket packet)
    {
        if (packet.Chunks.Any(c => c is InitChunk))
            return packet.Chunks.Count == 1 && packet.VerificationTag == 0;
        if (packet.Chunks[0] is AbortChunk { TagReflected: true } or ShutdownCompleteChunk { TagReflected: true })
            return HasPeer && packet.VerificationTag == _peerTag;
        return packet.VerificationTag == _localTag;
    }

    /// <summary>Handles one chunk; false = stop processing the rest of the packet.</summary>
    private bool Dispatch(Chunk chunk)
    {
        switch (chunk)
        {
            case DataChunk data: HandleData(data); break;
            case SackChunk sack: HandleSack(sack); break;
            case InitChunk init: HandleInit(init); break;
            case InitAckChunk initAck: HandleInitAck(initAck); break;
            case CookieEchoChunk echo: HandleCookieEcho(echo); break;
            case CookieAckChunk: HandleCookieAck(); break;
            case HeartbeatChunk heartbeat: HandleHeartbeat(heartbeat); break;
            case HeartbeatAckChunk heartbeatAck: HandleHeartbeatAck(heartbeatAck); break;
            case ForwardTsnChunk forward: HandleForwardTsn(forward); break;
            case ReConfigChunk reconfig: HandleReconfig(reconfig); break;
            case ShutdownChunk shutdown: HandleShutdown(shutdown); break;
            case ShutdownAckChunk: HandleShutdownAck(); break;
            case ShutdownCompleteChunk: HandleShutdownComplete(); break;
            case AbortChunk abort:
                Terminate($"aborted by peer: {string.Join(", ", abort.Causes)}", aborted: true);
                return false;
            case ErrorChunk error:
                LastPeerError = string.Join(", ", error.Causes);
                break;
            case UnknownChunk unknown:
                if (unknown.Report && HasPeer)
                {
                    // The cause quotes the chunk; a prefix is enough to identify it and keeps the ERROR small.
                    var quoted = unknown.ToArray();
                    EnqueueControl(new ErrorChunk([new ErrorCause(ErrorCauseCode.UnrecognizedChunkType, quoted.AsMemory(0, Math.Min(quoted.Length, 256)))]));
                }
                return unknown.SkipAndContinue;
        }
        return true;
    }

    /// <summary>DATA chunks refused because our window was full (or too far ahead) so far.</summary>
    public long DataChunksDropped { get; private set; }

    /// <summary>DATA chunks received again (the peer retransmitted what we had) so far.</summary>
    public long DuplicateDataChunks { get; private set; }

    /// <summary>The causes of the last ERROR chunk the peer sent, for diagnostics.</summary>
    public string? LastPeerError { get; private set; }

    private void HandleData(DataChunk data)
    {
        if (State is not (SctpAssociationState.Established or SctpAssociationState.ShutdownPending or SctpAssociationState.ShutdownSent))
            return;
        _dataInPacket = true;
        var badStream = data.StreamId >= InboundStreams;
        if (badStream)
            EnqueueControl(new ErrorChunk([new ErrorCause(ErrorCauseCode.InvalidStreamIdentifier, new byte[] { (byte)(data.StreamId >> 8), (byte)data.StreamId, 0, 0 })]));
        var result = _receiver!.OnData(data, _eventBytes, discardPayload: badStream);
        if (result == DataReceiveResult.Dropped)
            DataChunksDropped++;
        else if (result == DataReceiveResult.Duplicate)
            DuplicateDataChunks++;
        // Gaps, duplicates, drops and a nearly closed window are news the sender needs at once.
        if (result != DataReceiveResult.Accepted || data.ImmediateAck || OurReceiveWindow < _options.MaxPacketSize)
            _sackImmediately = true;
    }

    private void HandleForwardTsn(ForwardTsnChunk forward)
    {
        if (State is not (SctpAssociationState.Established or SctpAssociationState.ShutdownPending or SctpAssociationState.ShutdownSent))
            return;
        _receiver!.OnForwardTsn(forward);
        _dataInPacket = true;
        _sackImmediately = true;
    }

    private void ScheduleSack()
    {
        _packetsSinceSack++;
        if (_sackImmediately || _receiver!.HasGaps || _packetsSinceSack >= 2 || State == SctpAssociationState.ShutdownSent)
        {
            _sackPending = true;
            _delayedAckDue = null;
            if (State == SctpAssociationState.ShutdownSent)
                SendShutdown(); // 9.2: answer DATA with SHUTDOWN while in SHUTDOWN-SENT
        }
        else
            _delayedAckDue ??= Now + _options.DelayedAckTimeout;
    }

    private void AddSack(List<Chunk> chunks, ref int budget)
    {
        if (!_sackPending || State is SctpAssociationState.CookieEchoed)
            return;
        var window = (uint)OurReceiveWindow;
        var maxBlocks = Math.Max(0, (budget - Chunk.HeaderLength - 12 - 4 * _receiver!.DuplicateCount) / 4);
        var sack = _receiver.BuildSack(window, maxBlocks);
        if (sack.PaddedLength > budget)
            return;
        chunks.Add(sack);
        budget -= sack.PaddedLength;
        _sackPending = false;
        _delayedAckDue = null;
        _packetsSinceSack = 0;
        _lastAdvertisedRwnd = window;
    }

    /// <summary>After the owner drains messages, tell a sender we blocked that the window reopened.</summary>
    private void ConsiderWindowUpdate()
    {
        if (!HasPeer || State is not (SctpAssociationState.Established or SctpAssociationState.ShutdownPending or SctpAssociationState.ShutdownSent))
            return;
        if (OurReceiveWindow - (long)_lastAdvertisedRwnd >= _options.ReceiveBufferSize / 4)
            _sackPending = true;
    }

    private void HandleHeartbeat(HeartbeatChunk heartbeat)
    {
        if (HasPeer)
            EnqueueControl(new HeartbeatAckChunk(heartbeat.Info));
    }
}
