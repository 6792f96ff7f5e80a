namespace PxpActors.WebRtc.Sctp;

/// <summary>Retransmission timeout from RTT samples (RFC 9260 section 6.3.1), with exponential backoff.</summary>
internal sealed class RtoEstimator(TimeSpan initial, TimeSpan min, TimeSpan max)
{
    private const double Alpha = 1.0 / 8, Beta = 1.0 / 4;
    private static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(1);
    private double _srtt, _rttvar;
    private bool _measured;

    public TimeSpan Rto { get; private set; } = initial;

    public TimeSpan? SmoothedRtt => _measured ? TimeSpan.FromMilliseconds(_srtt) : null;

    public void OnMeasurement(TimeSpan rtt)
    {
        var r = Math.Max(0, rtt.TotalMilliseconds);
        if (!_measured)
        {
            _srtt = r;
            _rttvar = r / 2;
            _measured = true;
        }
        else
        {
            _rttvar = (1 - Beta) * _rttvar + Beta * Math.Abs(_srtt - r);
            _srtt = (1 - Alpha) * _srtt + Alpha * r;
        }
        var rto = TimeSpan.FromMilliseconds(_srtt + Math.Max(Granularity.TotalMilliseconds, 4 * _rttvar));
        Rto = Clamp(rto);
    }

    /// <summary>RFC 9260 6.3.3 E2: each expiry doubles RTO up to RTO.Max.</summary>
    public void BackOff() => Rto = Clamp(Rto * 2);

    private TimeSpan Clamp(TimeSpan value) => value < min ? min : value > max ? max : value;
}
