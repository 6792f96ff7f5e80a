using PxpActors.TestSupport.Fuzzing;
using PxpActors.WebRtc.Sctp;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

/// <summary>
/// An association fed damaged packets (with valid checksums, so they reach the chunk logic) never throws. The
/// parsers on their own are fuzzed in Fuzzing/SctpFuzzTests and Fuzzing/DcepFuzzTests.
/// </summary>
public sealed class MalformedInputFuzzTests
{
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
            var mutated = Mutations.Mutate(traffic[random.Next(traffic.Count)], random);
            if (mutated.Length < SctpPacket.CommonHeaderLength)
                continue;
            SctpPacket.SealChecksum(mutated);
            net.B.HandlePacket(mutated);
            while (net.B.PollPacket() is not null) { }
            while (net.B.TryPollEvent(out _)) { }
        }
        Assert.True(net.B.PacketsDropped > 0);
    }
}
