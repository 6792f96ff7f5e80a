using System.Security.Cryptography;
using PxpActors.WebRtc.Sctp;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

/// <summary>
/// Packets never exceed <see cref="SctpAssociationOptions.MaxPacketSize"/>, even when it is not a whole
/// number of 4-byte words: every chunk, the last one too, is padded (RFC 9260 3.2). Over DTLS the limit is
/// the record's room, 1163 bytes over a 1200-byte path.
/// </summary>
public sealed class PacketSizeTests
{
    [Theory]
    [InlineData(1163)]
    [InlineData(1161)]
    [InlineData(1203)]
    public void Packets_must_stay_within_a_max_packet_size_that_is_not_a_multiple_of_four(int maxPacketSize)
    {
        var options = new SctpAssociationOptions { MaxPacketSize = maxPacketSize };
        var net = new SctpTestNetwork(optionsA: options, optionsB: options) { RecordPackets = true };
        net.Connect();
        // Sizes around one packet's room and odd lengths, so the last chunk of a packet needs padding.
        int[] sizes = [1, 3, maxPacketSize - 29, maxPacketSize - 28, maxPacketSize - 27, 5001, 65537, 256 * 1024 - 1];
        var messages = sizes.Select(RandomNumberGenerator.GetBytes).ToList();
        foreach (var message in messages)
            Assert.True(net.A.TrySend(1, 53, message));
        // Replies from B make it bundle SACKs with DATA too.
        Assert.True(net.B.TrySend(1, 53, RandomNumberGenerator.GetBytes(3000)));
        net.RunUntil(() => net.MessagesAtB.Count() == messages.Count && net.A.BufferedAmount == 0 && net.B.BufferedAmount == 0,
            TimeSpan.FromSeconds(30));

        Assert.Equal(messages, net.MessagesAtB.Select(m => m.Data.ToArray()));
        Assert.All(net.SentAToB.Concat(net.SentBToA), p =>
        {
            Assert.True(p.Length <= maxPacketSize, $"{p.Length}-byte packet over the {maxPacketSize}-byte limit");
            Assert.Equal(0, p.Length % 4);
        });
    }
}
