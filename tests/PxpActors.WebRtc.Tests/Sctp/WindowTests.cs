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
        // A stalled application for ten minutes: only zero-window probes flow, nothing overflows, and the
        // unanswered probes do not get the live peer declared unreachable (RFC 9260 6.1).
        net.RunFor(TimeSpan.FromMinutes(10));
        Assert.True(refused, "the full send buffer must push back on the caller");
        Assert.True(net.A.BufferedAmount <= options.SendBufferSize + options.MaxMessageSize);
        Assert.Equal(SctpAssociationState.Established, net.A.State);
        Assert.Equal(SctpAssociationState.Established, net.B.State);

        net.DrainB = true;
        net.RunUntil(() => net.MessagesAtB.Count() == messages.Count, TimeSpan.FromMinutes(10), Feed);
        Assert.Equal(messages, net.MessagesAtB.Select(m => m.Data.ToArray()));
    }

    [Fact]
    public void Message_larger_than_the_receive_window_must_still_be_reassembled()
    {
        // The window (64 KiB) is smaller than the message: the receiver keeps taking the rest of the one
        // partial message it holds, or reassembly could never finish.
        var receiver = new SctpAssociationOptions { ReceiveBufferSize = 64 * 1024 };
        var net = new SctpTestNetwork(optionsB: receiver);
        net.Connect();
        var message = new byte[200 * 1024];
        new Random(4).NextBytes(message);
        Assert.True(net.A.TrySend(1, 53, message));
        net.RunUntil(() => net.MessagesAtB.Any(), TimeSpan.FromMinutes(2));
        Assert.Equal(message, net.MessagesAtB.Single().Data.ToArray());
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
