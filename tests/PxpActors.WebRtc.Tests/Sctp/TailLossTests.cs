using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

/// <summary>
/// Loss at the end of a flight, where no later SACK brings three miss indications: the tail-loss probe
/// (after RFC 8985) and early retransmit (after RFC 5827) must repair it long before T3-rtx would, without
/// a retransmission timeout. Simulated network and clock (10 ms each way, RTO at its 400 ms minimum).
/// </summary>
public sealed class TailLossTests
{
    // Five DATA packets of at most 1200 bytes.
    private const int MessageSize = 5_000;

    [Fact]
    public void A_lost_last_packet_must_be_repaired_by_one_probe_well_before_the_RTO()
    {
        var net = ConnectedWithRttSample();
        var rto = net.A.RetransmissionTimeout;
        DropFirstTransmissionOf(net, c => c.Ending);
        var sentAt = net.Time.GetUtcNow();
        Assert.True(net.A.TrySend(1, 53, new byte[MessageSize]));
        net.RunUntil(() => net.MessagesAtB.Count() == 2, TimeSpan.FromSeconds(5));

        Assert.True(net.Time.GetUtcNow() - sentAt < rto / 2, $"delivered after {net.Time.GetUtcNow() - sentAt}, RTO {rto}");
        Assert.Equal(1, net.A.TailLossProbes);
        Assert.Equal(0, net.A.RetransmissionTimeouts);
        Assert.Equal(1, net.A.ChunksRetransmitted);
        net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_lost_packet_before_an_acknowledged_last_one_must_be_repaired_by_early_retransmit()
    {
        var net = ConnectedWithRttSample();
        var rto = net.A.RetransmissionTimeout;
        uint? lastTsn = null;
        net.FilterAToB = packet =>
        {
            foreach (var c in SctpPacket.Parse(packet).Chunks.OfType<DataChunk>())
                if (c.Ending) lastTsn = c.Tsn;
            return true;
        };
        Assert.True(net.A.TrySend(1, 53, new byte[MessageSize]));
        net.Pump();
        Assert.NotNull(lastTsn);
        var lost = lastTsn.Value - 1;
        var sentAt = net.Time.GetUtcNow();
        DropFirstTransmissionOf(net, c => c.Tsn == lost + 5); // the same position in the next message
        Assert.True(net.A.TrySend(1, 53, new byte[MessageSize]));
        net.RunUntil(() => net.MessagesAtB.Count() == 3, TimeSpan.FromSeconds(5));

        Assert.True(net.Time.GetUtcNow() - sentAt < rto / 2, $"delivered after {net.Time.GetUtcNow() - sentAt}, RTO {rto}");
        Assert.Equal(1, net.A.EarlyRetransmits);
        Assert.Equal(0, net.A.TailLossProbes);
        Assert.Equal(0, net.A.RetransmissionTimeouts);
        Assert.Equal(1, net.A.ChunksRetransmitted);
    }

    [Fact]
    public void The_last_packet_of_a_burst_must_ask_for_an_immediate_SACK_and_a_lone_request_must_not()
    {
        var net = ConnectedWithRttSample();
        net.RecordPackets = true;
        net.SentAToB.Clear();
        Assert.True(net.A.TrySend(1, 53, new byte[MessageSize]));
        net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromSeconds(1));
        var burst = net.SentAToB.SelectMany(p => SctpPacket.Parse(p).Chunks.OfType<DataChunk>()).ToList();
        Assert.Equal(5, burst.Count);
        Assert.Equal([false, false, false, false, true], burst.Select(c => c.ImmediateAck));

        net.SentAToB.Clear();
        Assert.True(net.A.TrySend(1, 53, new byte[16]));
        net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromSeconds(1));
        var lone = Assert.Single(net.SentAToB.SelectMany(p => SctpPacket.Parse(p).Chunks.OfType<DataChunk>()));
        Assert.False(lone.ImmediateAck); // its answer carries the SACK; asking for one would cost the peer a packet
    }

    [Fact]
    public void A_probe_must_not_repeat_while_the_peer_is_unreachable_T3_backs_off_alone()
    {
        var net = ConnectedWithRttSample();
        net.FilterAToB = _ => false;
        Assert.True(net.A.TrySend(1, 53, new byte[MessageSize]));
        net.RunUntil(() => net.A.RetransmissionTimeouts >= 3, TimeSpan.FromMinutes(1));
        Assert.Equal(1, net.A.TailLossProbes);
        Assert.Equal(SctpAssociationState.Established, net.A.State);

        net.FilterAToB = null;
        net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromMinutes(1));
        Assert.Equal(2, net.MessagesAtB.Count());
    }

    [Fact]
    public void Without_loss_no_probe_and_no_retransmission_must_be_sent()
    {
        var net = ConnectedWithRttSample();
        var payload = new byte[64 * 1024];
        for (var i = 0; i < 20; i++)
        {
            Assert.True(net.A.TrySend(1, 53, payload));
            net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromSeconds(5));
            net.RunFor(TimeSpan.FromMilliseconds(500)); // idle gaps, where a probe timer left running would fire
        }
        Assert.Equal(21, net.MessagesAtB.Count());
        Assert.Equal(0, net.A.TailLossProbes);
        Assert.Equal(0, net.A.ChunksRetransmitted);
        Assert.Equal(0, net.B.DuplicateDataChunks);
    }

    /// <summary>Connected, with one message delivered and acknowledged so that A has an RTT sample.</summary>
    private static SctpTestNetwork ConnectedWithRttSample()
    {
        var net = new SctpTestNetwork();
        net.Connect();
        Assert.True(net.A.TrySend(1, 53, new byte[MessageSize]));
        net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromSeconds(5));
        Assert.NotNull(net.A.SmoothedRoundTripTime);
        return net;
    }

    /// <summary>Drops the first packet from A carrying a DATA chunk that matches, once.</summary>
    private static void DropFirstTransmissionOf(SctpTestNetwork net, Func<DataChunk, bool> match)
    {
        var armed = true;
        net.FilterAToB = packet =>
        {
            if (!armed || !SctpPacket.Parse(packet).Chunks.OfType<DataChunk>().Any(match))
                return true;
            armed = false;
            return false;
        };
    }
}
