using PxpActors.WebRtc.Sctp;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

public sealed class WindowTests
{
    [Fact]
    public void Receiver_window_exhaustion_must_stop_the_sender_and_recover_when_the_application_drains()
    {
        var options = new SctpAssociationOptions { ReceiveBufferSize = 256 * 1024, MaxMessageSize = 64 * 1024, SendBufferSize = 512 * 1024 };
        var net = new SctpTestNetwork(optionsA: options, optionsB: options);
        net.Connect();
        net.DrainB = false;
        var messages = DataTransferTests.Messages(new Random(3), totalBytes: 2 * 1024 * 1024).Select(m => m.Length > 60_000 ? m[..60_000] : m).ToList();
        var next = 0;
        var refused = false;
        void Feed()
        {
            while (next < messages.Count)
            {
                if (!net.A.TrySend(7, 53, messages[next]))
                {
                    refused = true;
                    return;
                }
                next++;
            }
        }
        net.RunUntil(() => net.A.PeerReceiveWindow == 0 && net.B.OurReceiveWindow < options.MaxPacketSize, TimeSpan.FromMinutes(1), Feed);
        net.RunFor(TimeSpan.FromSeconds(20)); // zero-window probes only; nothing may overflow
        Assert.True(refused, "the full send buffer must push back on the caller");
        Assert.True(net.A.BufferedAmount <= options.SendBufferSize + options.MaxMessageSize);
        Assert.Equal(SctpAssociationState.Established, net.A.State);
        Assert.Equal(SctpAssociationState.Established, net.B.State);

        net.DrainB = true;
        net.RunUntil(() => net.MessagesAtB.Count() == messages.Count, TimeSpan.FromMinutes(10), Feed);
        Assert.Equal(messages, net.MessagesAtB.Select(m => m.Data.ToArray()));
    }

    [Fact]
    public void Send_buffer_must_refuse_beyond_its_limit_and_count_buffered_bytes_per_stream()
    {
        var net = new SctpTestNetwork(optionsA: new SctpAssociationOptions { SendBufferSize = 100_000 });
        net.Connect();
        Assert.True(net.A.TrySend(1, 53, new byte[60_000]));
        Assert.True(net.A.TrySend(2, 53, new byte[40_000]));
        Assert.False(net.A.TrySend(1, 53, new byte[1]));
        Assert.Equal(100_000, net.A.BufferedAmount);
        Assert.Equal(60_000, net.A.BufferedAmountOf(1));
        Assert.Equal(40_000, net.A.BufferedAmountOf(2));
        net.RunUntil(() => net.A.BufferedAmount == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(0, net.A.BufferedAmountOf(1));
        Assert.True(net.A.TrySend(1, 53, new byte[1]));
    }
}
