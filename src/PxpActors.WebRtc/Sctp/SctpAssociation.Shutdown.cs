using PxpActors.WebRtc.Sctp.Chunks;

namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// Graceful close (RFC 9260 section 9.2): SHUTDOWN once everything we sent is acknowledged, SHUTDOWN ACK
/// once the peer's is, SHUTDOWN COMPLETE; T2-shutdown retransmits.
/// </summary>
public sealed partial class SctpAssociation
{
    /// <summary>Closes gracefully after queued data is delivered. Before the handshake completes it just closes.</summary>
    public void Shutdown()
    {
        switch (State)
        {
            case SctpAssociationState.Idle or SctpAssociationState.CookieWait or SctpAssociationState.CookieEchoed:
                Terminate("closed before the association was established", aborted: false);
                break;
            case SctpAssociationState.Established:
                State = SctpAssociationState.ShutdownPending;
                TryProgressShutdown();
                break;
        }
    }

    private bool AllDataAcknowledged => _sendQueue.Count == 0 && !HasOutstanding;

    private void TryProgressShutdown()
    {
        if (State == SctpAssociationState.ShutdownPending && AllDataAcknowledged)
        {
            State = SctpAssociationState.ShutdownSent;
            SendShutdown();
        }
        else if (State == SctpAssociationState.ShutdownReceived && AllDataAcknowledged)
        {
            State = SctpAssociationState.ShutdownAckSent;
            SendShutdownAck();
        }
    }

    private void SendShutdown()
    {
        EnqueueControl(new ShutdownChunk(_receiver!.CumulativeTsn));
        _t2Due = Now + _rto.Rto;
    }

    private void SendShutdownAck()
    {
        EnqueueControl(new ShutdownAckChunk());
        _t2Due = Now + _rto.Rto;
    }

    private void HandleShutdown(ShutdownChunk shutdown)
    {
        if (State is not (SctpAssociationState.Established or SctpAssociationState.ShutdownPending
            or SctpAssociationState.ShutdownSent or SctpAssociationState.ShutdownReceived))
            return;
        // Its cumulative TSN ack acknowledges like a SACK without gaps (9.2); the window stays as last known.
        HandleSack(new SackChunk(shutdown.CumulativeTsnAck, (uint)(_peerRwnd + _flightSize), [], []));
        switch (State)
        {
            case SctpAssociationState.Established or SctpAssociationState.ShutdownPending:
                State = SctpAssociationState.ShutdownReceived;
                _heartbeatDue = null;
                TryProgressShutdown();
                break;
            case SctpAssociationState.ShutdownSent:
                // Both sides shut down at once (9.2): answer with SHUTDOWN ACK.
                State = SctpAssociationState.ShutdownAckSent;
                SendShutdownAck();
                break;
        }
    }

    private void HandleShutdownAck()
    {
        if (State is not (SctpAssociationState.ShutdownSent or SctpAssociationState.ShutdownAckSent))
            return;
        EnqueueControl(new ShutdownCompleteChunk());
        Terminate("shutdown complete", aborted: false);
    }

    private void HandleShutdownComplete()
    {
        if (State == SctpAssociationState.ShutdownAckSent)
            Terminate("shutdown complete", aborted: false);
    }

    private void OnT2Expired()
    {
        _t2Due = null;
        if (State is not (SctpAssociationState.ShutdownSent or SctpAssociationState.ShutdownAckSent))
            return;
        if (++_errorCount > _options.MaxAssociationRetransmits)
        {
            Fail($"shutdown unanswered after {_errorCount - 1} retransmissions");
            return;
        }
        _rto.BackOff();
        if (State == SctpAssociationState.ShutdownSent)
            SendShutdown();
        else
            SendShutdownAck();
    }
}
