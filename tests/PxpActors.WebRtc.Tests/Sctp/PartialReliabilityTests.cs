using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

public sealed class PartialReliabilityTests
{
    private static Func<byte[], bool> DropDataOf(byte marker, int times)
    {
        var dropped = 0;
        return packet =>
        {
            var hit = SctpPacket.Parse(packet).Chunks.OfType<DataChunk>().Any(d => d.UserData.Span[0] == marker);
            if (!hit || dropped >= times)
                return true;
            dropped++;
            return false;
        };
    }

    // 1100 bytes: one message per packet, so a filter can lose exactly one message.
    private static byte[] Message(byte marker, int length = 1100) => Enumerable.Repeat(marker, length).ToArray();

    [Fact]
    public void Message_with_maxRetransmits_0_must_be_abandoned_with_FORWARD_TSN_and_later_messages_delivered()
    {
        var net = new SctpTestNetwork { RecordPackets = true };
        net.Connect();
        net.FilterAToB = DropDataOf(0xAA, times: int.MaxValue);
        var options = new SctpSendOptions(MaxRetransmits: 0);
        Assert.True(net.A.TrySend(1, 53, Message(0x01), options));
        Assert.True(net.A.TrySend(1, 53, Message(0xAA), options));
        Assert.True(net.A.TrySend(1, 53, Message(0x02), options));
        net.RunUntil(() => net.MessagesAtB.Count() == 2 && net.A.BufferedAmount == 0, TimeSpan.FromSeconds(30));
        net.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(new byte[] { 0x01, 0x02 }, net.MessagesAtB.Select(m => m.Data.Span[0]));
        Assert.Equal(1, net.A.MessagesAbandoned);
        var forward = net.SentAToB.SelectMany(p => SctpPacket.Parse(p).Chunks.OfType<ForwardTsnChunk>()).First();
        Assert.Contains(forward.Streams, s => s.StreamId == 1 && s.StreamSequenceNumber == 1);
        // Only one transmission of the abandoned message ever left.
        Assert.Single(net.SentAToB, p => SctpPacket.Parse(p).Chunks.OfType<DataChunk>().Any(d => d.UserData.Span[0] == 0xAA));
    }

    [Fact]
    public void Message_with_maxRetransmits_2_must_survive_two_losses_and_be_abandoned_after_three()
    {
        var net = new SctpTestNetwork();
        net.Connect();
        net.FilterAToB = DropDataOf(0xB1, times: 2);
        Assert.True(net.A.TrySend(1, 53, Message(0xB1), new SctpSendOptions(MaxRetransmits: 2)));
        net.RunUntil(() => net.MessagesAtB.Count() == 1, TimeSpan.FromSeconds(30));
        Assert.Equal(0, net.A.MessagesAbandoned);

        net.FilterAToB = DropDataOf(0xB2, times: 3);
        Assert.True(net.A.TrySend(1, 53, Message(0xB2), new SctpSendOptions(MaxRetransmits: 2)));
        Assert.True(net.A.TrySend(1, 53, Message(0xB3), new SctpSendOptions(MaxRetransmits: 2)));
        net.RunUntil(() => net.MessagesAtB.Count() == 2 && net.A.BufferedAmount == 0, TimeSpan.FromMinutes(1));
        Assert.Equal(new byte[] { 0xB1, 0xB3 }, net.MessagesAtB.Select(m => m.Data.Span[0]));
        Assert.Equal(1, net.A.MessagesAbandoned);
    }

    [Fact]
    public void Message_with_maxPacketLifeTime_must_be_abandoned_once_expired()
    {
        var net = new SctpTestNetwork();
        net.Connect();
        net.FilterAToB = DropDataOf(0xC1, times: int.MaxValue);
        var timed = new SctpSendOptions(MaxLifetime: TimeSpan.FromMilliseconds(300));
        Assert.True(net.A.TrySend(2, 53, Message(0xC1), timed));
        Assert.True(net.A.TrySend(2, 53, Message(0xC2), timed));
        net.RunUntil(() => net.MessagesAtB.Any() && net.A.BufferedAmount == 0, TimeSpan.FromSeconds(30));
        Assert.Equal(new byte[] { 0xC2 }, net.MessagesAtB.Select(m => m.Data.Span[0]));
        Assert.Equal(1, net.A.MessagesAbandoned);
    }

    [Fact]
    public void Unordered_fragmented_message_partly_lost_must_be_abandoned_without_leaving_fragments_behind()
    {
        var net = new SctpTestNetwork();
        net.Connect();
        var options = new SctpSendOptions(Unordered: true, MaxRetransmits: 0);
        var big = Message(0xD1, 20_000);
        var dataPackets = 0;
        net.FilterAToB = packet => !SctpPacket.Parse(packet).Chunks.OfType<DataChunk>().Any() || ++dataPackets != 3;
        Assert.True(net.A.TrySend(3, 53, big, options));
        Assert.True(net.A.TrySend(3, 53, Message(0xD2, 5000), options));
        net.RunUntil(() => net.MessagesAtB.Any(m => m.Data.Span[0] == 0xD2) && net.A.BufferedAmount == 0, TimeSpan.FromSeconds(30));
        net.RunFor(TimeSpan.FromSeconds(2));
        Assert.DoesNotContain(net.MessagesAtB, m => m.Data.Span[0] == 0xD1);
        Assert.Equal(net.B.Options.ReceiveBufferSize, net.B.OurReceiveWindow); // nothing of the abandoned message is held
    }

    [Fact]
    public void Partial_reliability_options_must_not_be_silently_ignored_when_a_reliable_send_would_retransmit()
    {
        // The same loss pattern: reliable retransmits until delivered, partially reliable gives up.
        foreach (var (options, expectDelivered) in new[] { (SctpSendOptions.Reliable, true), (new SctpSendOptions(MaxRetransmits: 0), false) })
        {
            var net = new SctpTestNetwork();
            net.Connect();
            net.FilterAToB = DropDataOf(0xE1, times: 1);
            Assert.True(net.A.TrySend(1, 53, Message(0xE1), options));
            Assert.True(net.A.TrySend(1, 53, Message(0xE2), options));
            net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromSeconds(30));
            net.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(expectDelivered, net.MessagesAtB.Any(m => m.Data.Span[0] == 0xE1));
            Assert.Contains(net.MessagesAtB, m => m.Data.Span[0] == 0xE2);
        }
    }
}
