using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

public sealed class CongestionTests
{
    private const int Mtu = 1200;

    [Fact]
    public void CongestionControl_must_start_with_the_RFC_initial_window()
    {
        var cc = new CongestionControl(Mtu, 1 << 20);
        Assert.Equal(4380, cc.Cwnd); // min(4*MTU, max(2*MTU, 4380))
        Assert.Equal(1 << 20, cc.Ssthresh);
    }

    [Fact]
    public void CongestionControl_slow_start_must_grow_by_at_most_one_MTU_per_SACK_and_only_when_the_window_was_full()
    {
        var cc = new CongestionControl(Mtu, 1 << 20);
        cc.OnAcknowledged(bytesAcked: 3000, cumulativeAdvanced: true, flightBeforeSack: 4380, flightAfterSack: 1380, inFastRecovery: false);
        Assert.Equal(4380 + Mtu, cc.Cwnd);
        cc.OnAcknowledged(bytesAcked: 500, cumulativeAdvanced: true, flightBeforeSack: 5580, flightAfterSack: 0, inFastRecovery: false);
        Assert.Equal(4380 + Mtu + 500, cc.Cwnd);
        var before = cc.Cwnd;
        cc.OnAcknowledged(bytesAcked: 1000, cumulativeAdvanced: true, flightBeforeSack: 1000, flightAfterSack: 0, inFastRecovery: false);
        Assert.Equal(before, cc.Cwnd); // window not in full use: no growth
        cc.OnAcknowledged(bytesAcked: 1000, cumulativeAdvanced: false, flightBeforeSack: before, flightAfterSack: 0, inFastRecovery: false);
        Assert.Equal(before, cc.Cwnd); // only gap acks: no growth
    }

    [Fact]
    public void CongestionControl_must_halve_on_fast_retransmit_and_collapse_on_timeout()
    {
        var cc = new CongestionControl(Mtu, 1 << 20);
        for (var i = 0; i < 20; i++)
            cc.OnAcknowledged(Mtu, true, cc.Cwnd, cc.Cwnd - Mtu, false);
        var grown = cc.Cwnd;
        Assert.Equal(4380 + 20 * Mtu, grown);
        cc.OnFastRetransmit();
        Assert.Equal(grown / 2, cc.Ssthresh);
        Assert.Equal(grown / 2, cc.Cwnd);
        cc.OnRetransmissionTimeout();
        Assert.Equal(Math.Max(grown / 4, 4 * Mtu), cc.Ssthresh);
        Assert.Equal(Mtu, cc.Cwnd);
    }

    [Fact]
    public void CongestionControl_congestion_avoidance_must_add_one_MTU_per_window_of_acked_bytes()
    {
        var cc = new CongestionControl(Mtu, 1 << 20);
        cc.OnFastRetransmit(); // cwnd = ssthresh = 4800; cwnd <= ssthresh is still slow start (7.2.1)
        cc.OnAcknowledged(Mtu, true, 4 * Mtu, 3 * Mtu, false);
        Assert.Equal(5 * Mtu, cc.Cwnd);
        Assert.False(cc.InSlowStart);
        for (var i = 0; i < 4; i++)
            cc.OnAcknowledged(Mtu, true, 5 * Mtu, 4 * Mtu, false);
        Assert.Equal(5 * Mtu, cc.Cwnd); // 4800 bytes acked < cwnd
        cc.OnAcknowledged(Mtu, true, 5 * Mtu, 4 * Mtu, false);
        Assert.Equal(6 * Mtu, cc.Cwnd); // a full window acked: one MTU more
    }

    [Fact]
    public void Association_cwnd_must_grow_in_slow_start_then_halve_on_a_single_loss()
    {
        var net = new SctpTestNetwork();
        net.Connect();
        Assert.Equal(4380, net.A.CongestionWindow);
        var payload = new byte[64 * 1024];
        var observed = new List<int>();
        net.RunUntil(() => net.A.CongestionWindow >= 40_000, TimeSpan.FromSeconds(30), eachStep: () =>
        {
            while (net.A.TrySend(1, 53, payload)) { }
            observed.Add(net.A.CongestionWindow);
        });
        Assert.True(observed.Zip(observed.Skip(1)).All(p => p.Second >= p.First), "cwnd must only grow without loss");
        Assert.True(net.A.CongestionWindow <= net.A.SlowStartThreshold);

        var lossArmed = true;
        net.FilterAToB = packet =>
        {
            if (!lossArmed || !SctpPacket.Parse(packet).Chunks.OfType<DataChunk>().Any())
                return true;
            lossArmed = false;
            return false;
        };
        var maxBeforeLoss = 0;
        net.RunUntil(() => net.A.InFastRecovery, TimeSpan.FromSeconds(30), eachStep: () =>
        {
            while (net.A.TrySend(1, 53, payload)) { }
            maxBeforeLoss = Math.Max(maxBeforeLoss, net.A.CongestionWindow);
        });
        Assert.Equal(net.A.SlowStartThreshold, net.A.CongestionWindow);
        Assert.InRange(net.A.SlowStartThreshold, 40_000 / 2, maxBeforeLoss / 2 + Mtu);
        Assert.Equal(SctpAssociationState.Established, net.A.State);
    }

    [Fact]
    public void Association_cwnd_must_collapse_to_one_MTU_when_T3_expires_and_RTO_must_back_off()
    {
        var net = new SctpTestNetwork();
        net.Connect();
        Assert.True(net.A.TrySend(1, 53, new byte[10_000]));
        net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromSeconds(5));
        var rto = net.A.RetransmissionTimeout;
        net.FilterAToB = _ => false;
        Assert.True(net.A.TrySend(1, 53, new byte[10_000]));
        net.RunUntil(() => net.A.CongestionWindow == Mtu, TimeSpan.FromSeconds(10));
        Assert.True(net.A.RetransmissionTimeout >= rto * 2 || net.A.RetransmissionTimeout == net.A.Options.MaxRto);
        net.FilterAToB = null;
        net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromMinutes(1));
        Assert.Equal(2, net.MessagesAtB.Count());
    }

    [Fact]
    public void RTO_must_follow_the_RFC_9260_estimator()
    {
        var rto = new RtoEstimator(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60));
        rto.OnMeasurement(TimeSpan.FromMilliseconds(200));
        Assert.Equal(TimeSpan.FromMilliseconds(200 + 4 * 100), rto.Rto); // SRTT = R, RTTVAR = R/2
        rto.OnMeasurement(TimeSpan.FromMilliseconds(200));
        Assert.Equal(TimeSpan.FromMilliseconds(200 + 4 * 75), rto.Rto); // RTTVAR = 3/4 * 100 + 1/4 * 0
        rto.BackOff();
        Assert.Equal(TimeSpan.FromMilliseconds(1000), rto.Rto);
        for (var i = 0; i < 20; i++)
            rto.BackOff();
        Assert.Equal(TimeSpan.FromSeconds(60), rto.Rto);
    }
}
