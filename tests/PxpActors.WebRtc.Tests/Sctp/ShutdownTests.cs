using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

public sealed class ShutdownTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public void Shutdown_must_deliver_queued_data_first_and_close_both_sides_gracefully(double loss)
    {
        var net = new SctpTestNetwork(seed: 4) { LossRate = loss };
        net.Connect();
        var data = new byte[100_000];
        new Random(1).NextBytes(data);
        Assert.True(net.A.TrySend(1, 53, data));
        net.A.Shutdown();
        Assert.Throws<InvalidOperationException>(() => net.A.TrySend(1, 53, new byte[1]));
        net.RunUntil(() => net.A.State == SctpAssociationState.Closed && net.B.State == SctpAssociationState.Closed, TimeSpan.FromMinutes(5));
        Assert.Equal(data, net.MessagesAtB.Single().Data.ToArray());
        Assert.False(net.EventsA.OfType<SctpEvent.Closed>().Single().Aborted);
        Assert.False(net.EventsB.OfType<SctpEvent.Closed>().Single().Aborted);
        Assert.Null(net.A.NextTimeout);
        Assert.Null(net.B.NextTimeout);
    }

    [Fact]
    public void Abort_must_close_the_peer_at_once_with_the_reason()
    {
        var net = new SctpTestNetwork();
        net.Connect();
        net.A.Abort("user went away");
        net.RunUntil(() => net.B.State == SctpAssociationState.Closed, TimeSpan.FromSeconds(1));
        var closed = net.EventsB.OfType<SctpEvent.Closed>().Single();
        Assert.True(closed.Aborted);
        Assert.Contains("user went away", closed.Reason);
        Assert.Null(net.B.NextTimeout);
    }

    [Fact]
    public void Unreachable_peer_must_end_the_association_after_max_retransmissions()
    {
        var net = new SctpTestNetwork(optionsA: new SctpAssociationOptions { MaxAssociationRetransmits = 4 });
        net.Connect();
        net.FilterAToB = _ => false;
        Assert.True(net.A.TrySend(1, 53, new byte[100]));
        net.RunUntil(() => net.A.State == SctpAssociationState.Closed, TimeSpan.FromMinutes(10));
        var closed = net.EventsA.OfType<SctpEvent.Closed>().Single();
        Assert.True(closed.Aborted);
        Assert.Contains("unreachable", closed.Reason);
        Assert.Equal(0, net.A.BufferedAmount);
    }

    [Fact]
    public void Idle_association_must_exchange_heartbeats_and_detect_a_silent_peer()
    {
        var net = new SctpTestNetwork(optionsA: new SctpAssociationOptions { MaxAssociationRetransmits = 2 }) { RecordPackets = true };
        net.Connect();
        net.RunFor(TimeSpan.FromSeconds(70));
        Assert.Contains(net.SentAToB, p => SctpPacket.Parse(p).Chunks.Any(c => c is HeartbeatChunk));
        Assert.Contains(net.SentBToA, p => SctpPacket.Parse(p).Chunks.Any(c => c is HeartbeatAckChunk));
        Assert.NotNull(net.A.SmoothedRoundTripTime);
        Assert.Equal(SctpAssociationState.Established, net.A.State);

        net.FilterBToA = _ => false;
        net.RunUntil(() => net.A.State == SctpAssociationState.Closed, TimeSpan.FromMinutes(10));
        Assert.Contains("heartbeats unanswered", net.EventsA.OfType<SctpEvent.Closed>().Single().Reason);
    }

    [Fact]
    public void Unknown_chunk_must_be_reported_or_skipped_as_its_type_bits_say()
    {
        var net = new SctpTestNetwork { RecordPackets = true };
        net.Connect();
        var tagOfA = SctpPacket.Parse(net.SentBToA.Last()).VerificationTag;
        // 0xC0 bits: skip and report; the HEARTBEAT after it must still be answered.
        net.A.HandlePacket(new SctpPacket(5000, 5000, tagOfA,
            [new UnknownChunk((ChunkType)0xC7, 0, new byte[] { 1, 2, 3, 4 }), new HeartbeatChunk(new(new byte[] { 9 }))]).ToArray());
        net.Pump();
        Assert.Contains(net.SentAToB, p => SctpPacket.Parse(p).Chunks.OfType<ErrorChunk>().Any(e => e.Causes[0].Code == PxpActors.WebRtc.Sctp.Parameters.ErrorCauseCode.UnrecognizedChunkType));
        Assert.Contains(net.SentAToB, p => SctpPacket.Parse(p).Chunks.Any(c => c is HeartbeatAckChunk));

        // 0x00 bits: stop processing the packet, silently.
        var sentBefore = net.SentAToB.Count;
        net.A.HandlePacket(new SctpPacket(5000, 5000, tagOfA,
            [new UnknownChunk((ChunkType)0x3E, 0, new byte[] { 1 }), new HeartbeatChunk(new(new byte[] { 9 }))]).ToArray());
        net.Pump();
        Assert.Equal(sentBefore, net.SentAToB.Count);
    }
}
