using System.Security.Cryptography;
using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

public sealed class DataTransferTests
{
    [Fact]
    public void Message_of_256_KiB_must_be_fragmented_and_reassembled_intact()
    {
        var net = new SctpTestNetwork { RecordPackets = true };
        net.Connect();
        var message = RandomNumberGenerator.GetBytes(256 * 1024);
        Assert.True(net.A.TrySend(3, 53, message));
        net.RunUntil(() => net.MessagesAtB.Any(), TimeSpan.FromSeconds(30));
        var received = net.MessagesAtB.Single();
        Assert.Equal((ushort)3, received.StreamId);
        Assert.Equal(53u, received.PayloadProtocolId);
        Assert.Equal(message, received.Data.ToArray());
        Assert.All(net.SentAToB, p => Assert.True(p.Length <= 1200));
        var fragments = net.SentAToB.SelectMany(p => SctpPacket.Parse(p).Chunks.OfType<DataChunk>()).DistinctBy(d => d.Tsn).ToList();
        Assert.True(fragments.Count > 200);
        Assert.Single(fragments, f => f.Beginning);
        Assert.Single(fragments, f => f.Ending);
    }

    [Fact]
    public void Message_larger_than_max_message_size_must_be_refused_by_the_sender()
    {
        var net = new SctpTestNetwork();
        net.Connect();
        var e = Assert.Throws<ArgumentException>(() => net.A.TrySend(1, 53, new byte[256 * 1024 + 1]));
        Assert.Contains("maximum message size", e.Message);
        Assert.Throws<ArgumentException>(() => net.A.TrySend(1, 53, ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public void Message_larger_than_the_receivers_limit_must_abort_the_association()
    {
        // Chrome drops large transfers when a sender ignores its max-message-size; we refuse them too.
        var net = new SctpTestNetwork(optionsA: new SctpAssociationOptions { PeerMaxMessageSize = 512 * 1024 },
            optionsB: new SctpAssociationOptions { MaxMessageSize = 64 * 1024 });
        net.Connect();
        Assert.True(net.A.TrySend(1, 53, new byte[100 * 1024]));
        net.RunUntil(() => net.B.State == SctpAssociationState.Closed && net.A.State == SctpAssociationState.Closed, TimeSpan.FromSeconds(30));
        Assert.Contains("limit is 65536", net.EventsB.OfType<SctpEvent.Closed>().Single().Reason);
        Assert.Contains("aborted by peer", net.EventsA.OfType<SctpEvent.Closed>().Single().Reason);
    }

    [Fact]
    public void Sender_must_respect_the_peers_max_message_size_when_it_is_smaller_than_ours()
    {
        var net = new SctpTestNetwork(optionsA: new SctpAssociationOptions { PeerMaxMessageSize = 16 * 1024 });
        net.Connect();
        Assert.True(net.A.TrySend(1, 53, new byte[16 * 1024]));
        Assert.Contains("16384", Assert.Throws<ArgumentException>(() => net.A.TrySend(1, 53, new byte[16 * 1024 + 1])).Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Every_byte_must_arrive_in_order_through_30_percent_loss_duplication_and_reordering(int seed)
    {
        var options = new SctpAssociationOptions { MaxAssociationRetransmits = 30 };
        var net = new SctpTestNetwork(seed, options, options)
        {
            LossRate = 0.3, DuplicateRate = 0.1, Delay = TimeSpan.FromMilliseconds(5), Jitter = TimeSpan.FromMilliseconds(30),
        };
        net.Connect();
        var random = new Random(seed);
        var toB = Messages(random, totalBytes: 2 * 1024 * 1024);
        var toA = Messages(random, totalBytes: 512 * 1024);
        var nextToB = 0;
        var nextToA = 0;
        net.RunUntil(
            () => net.MessagesAtB.Count() == toB.Count && net.MessagesAtA.Count() == toA.Count,
            TimeSpan.FromHours(2),
            eachStep: () =>
            {
                while (nextToB < toB.Count && net.A.TrySend(1, 53, toB[nextToB]))
                    nextToB++;
                while (nextToA < toA.Count && net.B.TrySend(2, 53, toA[nextToA]))
                    nextToA++;
            });
        Assert.Equal(toB.Select(m => Convert.ToHexString(SHA256.HashData(m))), net.MessagesAtB.Select(m => Convert.ToHexString(SHA256.HashData(m.Data.Span))));
        Assert.Equal(toA.Select(m => Convert.ToHexString(SHA256.HashData(m))), net.MessagesAtA.Select(m => Convert.ToHexString(SHA256.HashData(m.Data.Span))));
        Assert.Equal(SctpAssociationState.Established, net.A.State);
        net.RunUntil(() => net.A.BufferedAmount == 0 && net.B.BufferedAmount == 0, TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Unordered_messages_must_be_flagged_on_the_wire_and_may_overtake_a_lost_one()
    {
        var net = new SctpTestNetwork { RecordPackets = true };
        net.Connect();
        var droppedFirst = false;
        net.FilterAToB = packet =>
        {
            if (droppedFirst || !SctpPacket.Parse(packet).Chunks.OfType<DataChunk>().Any())
                return true;
            droppedFirst = true;
            return false;
        };
        // 1100-byte messages: one per packet, so dropping the first packet loses exactly message 0.
        for (var i = 0; i < 5; i++)
            Assert.True(net.A.TrySend(4, 51, Filled(i, 1100), new SctpSendOptions(Unordered: true)));
        net.RunUntil(() => net.MessagesAtB.Count() == 5, TimeSpan.FromSeconds(10));
        // The lost first message arrives last, after retransmission: unordered delivery did not wait for it.
        Assert.Equal(new byte[] { 1, 2, 3, 4, 0 }, net.MessagesAtB.Select(m => m.Data.Span[0]));
        Assert.All(net.MessagesAtB, m => Assert.True(m.Unordered));
        Assert.All(net.SentAToB.SelectMany(p => SctpPacket.Parse(p).Chunks.OfType<DataChunk>()), d => Assert.True(d.Unordered));
    }

    [Fact]
    public void Ordered_messages_must_wait_for_a_lost_predecessor()
    {
        var net = new SctpTestNetwork();
        net.Connect();
        var droppedFirst = false;
        net.FilterAToB = packet =>
        {
            if (droppedFirst || !SctpPacket.Parse(packet).Chunks.OfType<DataChunk>().Any())
                return true;
            droppedFirst = true;
            return false;
        };
        for (var i = 0; i < 5; i++)
            Assert.True(net.A.TrySend(4, 51, Filled(i, 1100)));
        net.RunUntil(() => net.MessagesAtB.Count() == 5, TimeSpan.FromSeconds(10));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, net.MessagesAtB.Select(m => m.Data.Span[0]));
    }

    [Fact]
    public void Duplicated_data_must_be_reported_in_the_SACK_and_delivered_once()
    {
        var net = new SctpTestNetwork { RecordPackets = true, DuplicateRate = 1.0 };
        net.Connect();
        Assert.True(net.A.TrySend(1, 51, "once"u8.ToArray()));
        net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromSeconds(5));
        net.RunFor(TimeSpan.FromSeconds(1));
        Assert.Single(net.MessagesAtB);
        var sacks = net.SentBToA.SelectMany(p => SctpPacket.Parse(p).Chunks.OfType<SackChunk>());
        Assert.Contains(sacks, s => s.DuplicateTsns.Count > 0);
    }

    [Fact]
    public void Separate_streams_must_each_keep_their_own_order()
    {
        var net = new SctpTestNetwork { Jitter = TimeSpan.FromMilliseconds(20) };
        net.Connect();
        for (var i = 0; i < 50; i++)
            Assert.True(net.A.TrySend((ushort)(i % 3), 51, new[] { (byte)i }));
        net.RunUntil(() => net.MessagesAtB.Count() == 50, TimeSpan.FromSeconds(30));
        foreach (var stream in net.MessagesAtB.GroupBy(m => m.StreamId))
            Assert.Equal(Enumerable.Range(0, 50).Where(i => i % 3 == stream.Key).Select(i => (byte)i), stream.Select(m => m.Data.Span[0]));
    }

    private static byte[] Filled(int value, int length) => Enumerable.Repeat((byte)value, length).ToArray();

    internal static List<byte[]> Messages(Random random, int totalBytes)
    {
        var list = new List<byte[]>();
        for (var sent = 0; sent < totalBytes;)
        {
            var size = random.Next(4) == 0 ? random.Next(1, 64 * 1024) : random.Next(1, 3000);
            var m = new byte[size];
            random.NextBytes(m);
            list.Add(m);
            sent += size;
        }
        return list;
    }
}
