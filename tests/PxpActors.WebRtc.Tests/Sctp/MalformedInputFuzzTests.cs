using PxpActors.WebRtc.DataChannel;
using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Sctp.Chunks;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

/// <summary>
/// Seeded mutation of real traffic: parsers may only ever throw their own exception type, and an
/// association fed damaged packets (with valid checksums, so they reach the chunk logic) never throws.
/// </summary>
public sealed class MalformedInputFuzzTests
{
    [Fact]
    public void Packet_parser_must_throw_only_SctpProtocolException_on_mutated_traffic()
    {
        var random = new Random(11);
        foreach (var original in RecordedTraffic())
        {
            for (var round = 0; round < 40; round++)
            {
                var mutated = Mutate(original, random);
                if (mutated.Length >= SctpPacket.CommonHeaderLength && random.Next(4) != 0)
                    SctpPacket.SealChecksum(mutated); // mostly valid checksums, so the chunk parsers are reached
                try
                {
                    SctpPacket.Parse(mutated);
                }
                catch (SctpProtocolException)
                {
                }
            }
        }
    }

    [Fact]
    public void Association_must_survive_mutated_packets_without_throwing()
    {
        var net = new SctpTestNetwork(seed: 12) { RecordPackets = true };
        net.Connect();
        Assert.True(net.A.TrySend(1, 53, new byte[5000]));
        net.A.ResetStreams([3]);
        net.RunUntil(() => net.A.BufferedAmount == 0 && !net.A.IsStreamResetPending(3), TimeSpan.FromSeconds(10));
        var random = new Random(13);
        var traffic = net.SentAToB.ToList();
        for (var round = 0; round < 2000 && net.B.State != SctpAssociationState.Closed; round++)
        {
            var mutated = Mutate(traffic[random.Next(traffic.Count)], random);
            if (mutated.Length < SctpPacket.CommonHeaderLength)
                continue;
            SctpPacket.SealChecksum(mutated);
            net.B.HandlePacket(mutated);
            while (net.B.PollPacket() is not null) { }
            while (net.B.TryPollEvent(out _)) { }
        }
        Assert.True(net.B.PacketsDropped > 0);
    }

    [Fact]
    public void DCEP_parser_must_throw_only_DcepProtocolException_on_mutated_messages()
    {
        var random = new Random(14);
        var original = new DataChannelOpenMessage(DataChannelType.PartialReliableTimed, 256, 1000, "label", "protocol").ToArray();
        for (var round = 0; round < 2000; round++)
        {
            try
            {
                DcepMessage.Parse(Mutate(original, random));
            }
            catch (DcepProtocolException)
            {
            }
        }
    }

    private static IEnumerable<byte[]> RecordedTraffic()
    {
        var net = new SctpTestNetwork(seed: 10) { RecordPackets = true };
        net.Connect();
        Assert.True(net.A.TrySend(1, 53, new byte[3000], new SctpSendOptions(MaxRetransmits: 0)));
        net.A.ResetStreams([2]);
        net.A.Shutdown();
        net.RunUntil(() => net.A.State == SctpAssociationState.Closed, TimeSpan.FromSeconds(10));
        Assert.Contains(net.SentAToB, p => SctpPacket.Parse(p).Chunks.Any(c => c is ReConfigChunk));
        return net.SentAToB.Concat(net.SentBToA);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var edits = random.Next(1, 4);
        for (var i = 0; i < edits && bytes.Count > 0; i++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 8))); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                default: bytes[at] ^= (byte)(1 << random.Next(8)); break;
            }
        }
        return bytes.ToArray();
    }
}
