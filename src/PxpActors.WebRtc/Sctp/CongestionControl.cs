namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// The sender's congestion window (RFC 9260 section 7.2): slow start below ssthresh, congestion avoidance
/// above it, halving on fast retransmit and collapse to one MTU on retransmission timeout.
/// </summary>
internal sealed class CongestionControl
{
    private readonly int _mtu;
    private int _partialBytesAcked;

    public CongestionControl(int mtu, int peerReceiveWindow)
    {
        _mtu = mtu;
        Cwnd = Math.Min(4 * mtu, Math.Max(2 * mtu, 4380));
        Ssthresh = Math.Max(peerReceiveWindow, 4 * mtu);
    }

    public int Cwnd { get; private set; }
    public int Ssthresh { get; private set; }
    public bool InSlowStart => Cwnd <= Ssthresh;

    /// <summary>
    /// A SACK acknowledged <paramref name="bytesAcked"/> new bytes. Growth only when the cumulative ack
    /// advanced and the window was in full use before the SACK (7.2.1, 7.2.2), and never in fast recovery.
    /// </summary>
    public void OnAcknowledged(int bytesAcked, bool cumulativeAdvanced, int flightBeforeSack, int flightAfterSack, bool inFastRecovery)
    {
        if (cumulativeAdvanced && !inFastRecovery && flightBeforeSack >= Cwnd)
        {
            if (InSlowStart)
                Cwnd += Math.Min(bytesAcked, _mtu);
            else
            {
                _partialBytesAcked += bytesAcked;
                if (_partialBytesAcked >= Cwnd)
                {
                    _partialBytesAcked -= Cwnd;
                    Cwnd += _mtu;
                }
            }
        }
        if (flightAfterSack == 0)
            _partialBytesAcked = 0;
    }

    /// <summary>7.2.3 / 7.2.4: loss detected by three miss indications.</summary>
    public void OnFastRetransmit()
    {
        Ssthresh = Math.Max(Cwnd / 2, 4 * _mtu);
        Cwnd = Ssthresh;
        _partialBytesAcked = 0;
    }

    /// <summary>7.2.3: T3-rtx expired.</summary>
    public void OnRetransmissionTimeout()
    {
        Ssthresh = Math.Max(Cwnd / 2, 4 * _mtu);
        Cwnd = _mtu;
        _partialBytesAcked = 0;
    }
}
