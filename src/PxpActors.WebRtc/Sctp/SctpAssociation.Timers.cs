namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// The association's timers as due times on the injected clock: T1 (INIT / COOKIE ECHO), T2 (SHUTDOWN),
/// T3-rtx, the tail-loss probe, delayed SACK, heartbeat and RE-CONFIG retransmission. The owner arms one real timer for
/// <see cref="NextTimeout"/> and calls <see cref="HandleTimeout"/> when it fires.
/// </summary>
public sealed partial class SctpAssociation
{
    private DateTimeOffset? _t1Due, _t2Due, _t3Due, _probeDue, _delayedAckDue, _heartbeatDue, _reconfigDue;

    /// <summary>When <see cref="HandleTimeout"/> must next be called, or null when no timer runs.</summary>
    public DateTimeOffset? NextTimeout
    {
        get
        {
            DateTimeOffset? next = null;
            foreach (var due in (ReadOnlySpan<DateTimeOffset?>)[_t1Due, _t2Due, _t3Due, _probeDue, _delayedAckDue, _heartbeatDue, _reconfigDue])
                if (due is { } d && (next is null || d < next))
                    next = d;
            return next;
        }
    }

    /// <summary>Runs every timer that is due at the clock's current time.</summary>
    public void HandleTimeout()
    {
        var now = Now;
        if (_t1Due <= now)
            OnT1Expired();
        if (_t3Due <= now)
            OnT3Expired();
        else if (_probeDue <= now)
            OnProbeExpired();
        if (_delayedAckDue <= now)
        {
            _delayedAckDue = null;
            _sackPending = true;
        }
        if (_reconfigDue <= now)
            OnReconfigTimerExpired();
        if (_t2Due <= now)
            OnT2Expired();
        if (_heartbeatDue <= now)
            OnHeartbeatTimerExpired();
        if (State != SctpAssociationState.Closed)
            AfterProgress();
    }
}
