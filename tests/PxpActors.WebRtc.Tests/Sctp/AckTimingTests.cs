using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

/// <summary>
/// When SACKs go out (RFC 9260 6.2) and what gets resent (7.2.4), on the simulated network's fake clock:
/// a delayed SACK rides along with the reply of a request/response exchange instead of waiting for its
/// timer, a lone message is still acknowledged within the delayed-ack timeout, and a fast-retransmitted
/// chunk is not resent again because of SACKs that left before its copy arrived.
/// </summary>
public sealed class AckTimingTests
{
    private static readonly TimeSpan OneWay = TimeSpan.FromMilliseconds(10);

    [Fact]
    public void Delayed_SACK_must_ride_along_with_the_reply_so_a_request_response_never_waits_for_the_timer()
    {
        var net = new SctpTestNetwork { RecordPackets = true, Delay = OneWay };
        net.Connect();
        net.RunFor(TimeSpan.FromSeconds(1)); // nothing pending from the handshake
        var sentBefore = net.SentBToA.Count;
        var start = net.Time.GetUtcNow();

        Assert.True(net.A.TrySend(1, 53, "request"u8.ToArray()));
        net.RunUntil(() => net.MessagesAtB.Any(), TimeSpan.FromSeconds(1));
        Assert.True(net.B.TrySend(1, 53, "response"u8.ToArray())); // the application answers at once
        net.RunUntil(() => net.MessagesAtA.Any() && net.A.BufferedAmount == 0, TimeSpan.FromSeconds(1));

        // Both directions done in one round trip and a bit, far below the 200 ms delayed-ack timeout.
        Assert.True(net.Time.GetUtcNow() - start < 3 * OneWay, $"took {net.Time.GetUtcNow() - start}");
        var reply = Assert.Single(net.SentBToA.Skip(sentBefore));
        var chunks = SctpPacket.Parse(reply).Chunks;
        Assert.IsType<SackChunk>(chunks[0]);
        Assert.IsType<DataChunk>(chunks[1]);
    }

    [Fact]
    public void Lone_message_must_still_be_acknowledged_within_the_delayed_ack_timeout()
    {
        var net = new SctpTestNetwork { RecordPackets = true, Delay = OneWay };
        net.Connect();
        net.RunFor(TimeSpan.FromSeconds(1));
        var start = net.Time.GetUtcNow();

        Assert.True(net.A.TrySend(1, 53, "one"u8.ToArray()));
        net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromSeconds(1));

        var elapsed = net.Time.GetUtcNow() - start;
        var delayedAck = net.B.Options.DelayedAckTimeout;
        Assert.InRange(elapsed, delayedAck, delayedAck + 3 * OneWay);
    }

    [Fact]
    public void Fast_retransmitted_chunk_must_not_be_resent_again_for_SACKs_that_left_before_its_copy_arrived()
    {
        var net = new SctpTestNetwork { RecordPackets = true, Delay = OneWay };
        net.Connect();
        var payload = new byte[64 * 1024];
        // A window large enough that many SACKs are on their way while the copy travels.
        net.RunUntil(() => net.A.CongestionWindow >= 40_000, TimeSpan.FromSeconds(30), eachStep: () =>
        {
            while (net.A.TrySend(1, 53, payload)) { }
        });

        // Jitter spreads the SACKs out, so new ones keep arriving while the retransmitted copy is on its way.
        net.Jitter = TimeSpan.FromMilliseconds(1);
        uint? lostTsn = null;
        net.FilterAToB = packet =>
        {
            if (lostTsn is not null)
                return true;
            if (SctpPacket.Parse(packet).Chunks.OfType<DataChunk>().FirstOrDefault() is not { } data)
                return true;
            lostTsn = data.Tsn;
            return false;
        };
        net.RunUntil(() => lostTsn is not null, TimeSpan.FromSeconds(30), eachStep: () =>
        {
            while (net.A.TrySend(1, 53, payload)) { }
        });
        // The send buffer (2 MiB) keeps a full window of data behind the lost chunk until everything is acknowledged.
        net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromSeconds(60));

        var transmissions = net.SentAToB.SelectMany(p => SctpPacket.Parse(p).Chunks.OfType<DataChunk>()).Count(d => d.Tsn == lostTsn);
        Assert.Equal(2, transmissions); // the original and one fast retransmit
        Assert.Equal(0, net.A.RetransmissionTimeouts);
        Assert.True(net.A.FastRetransmits >= 1);
    }
}
