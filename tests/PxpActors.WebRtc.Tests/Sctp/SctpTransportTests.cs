using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Sctp;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sctp;

public sealed class SctpTransportTests
{
    private static readonly SctpAssociationOptions Fast = new()
    {
        InitialRto = TimeSpan.FromMilliseconds(50), MinRto = TimeSpan.FromMilliseconds(50), MaxRto = TimeSpan.FromMilliseconds(200),
        MaxInitRetransmits = 2, DelayedAckTimeout = TimeSpan.FromMilliseconds(20),
    };

    [Fact]
    public async Task Connect_must_fail_with_the_reason_when_nothing_answers_and_release_everything()
    {
        var bridge = new DatagramBridge(seed: 1, autoDeliver: true);
        bridge.SetLossRate(1.0);
        var transport = new SctpTransport(bridge.Left, Fast);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var e = await Assert.ThrowsAsync<SctpAssociationClosedException>(() => transport.ConnectAsync(cts.Token));
        Assert.Contains("handshake timed out", e.Message);
        await transport.DisposeAsync();
        Assert.True(transport.LoopsStopped);
        Assert.True(bridge.Left.IsClosed);
    }

    [Fact]
    public async Task Closed_datagram_connection_must_end_the_association_and_fail_pending_sends()
    {
        var bridge = new DatagramBridge(seed: 2, autoDeliver: true);
        var a = new SctpTransport(bridge.Left, Fast);
        var b = new SctpTransport(bridge.Right, Fast);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Task.WhenAll(a.ConnectAsync(cts.Token), b.ConnectAsync(cts.Token));
        await bridge.Left.DisposeAsync(); // the layer below A goes away (e.g. DTLS closed)
        await a.WaitUntilAsync(x => x.State == SctpAssociationState.Closed, cts.Token);
        var closed = Assert.IsType<SctpEvent.Closed>(await ReadUntilClosedAsync(a, cts.Token));
        Assert.Contains("datagram connection closed", closed.Reason);
        await Assert.ThrowsAsync<SctpAssociationClosedException>(async () => await a.SendAsync(1, 53, new byte[1], cancellationToken: cts.Token));
        await a.DisposeAsync();
        await b.DisposeAsync();
        Assert.True(a.LoopsStopped && b.LoopsStopped);
    }

    [Fact]
    public async Task Large_messages_must_cross_a_path_whose_datagram_limit_is_not_a_multiple_of_four()
    {
        // The DTLS record limit over a 1200-byte ICE path is 1163; padded chunks must still fit.
        var bridge = new DatagramBridge(seed: 3, autoDeliver: true, maxDatagramSize: 1163);
        var a = new SctpTransport(bridge.Left, Fast);
        var b = new SctpTransport(bridge.Right, Fast);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Task.WhenAll(a.ConnectAsync(cts.Token), b.ConnectAsync(cts.Token));
        Assert.Equal(1163, a.Options.MaxPacketSize);

        var toB = System.Security.Cryptography.RandomNumberGenerator.GetBytes(256 * 1024);
        var toA = System.Security.Cryptography.RandomNumberGenerator.GetBytes(100_003);
        await a.SendAsync(1, 53, toB, cancellationToken: cts.Token);
        await b.SendAsync(1, 53, toA, cancellationToken: cts.Token);
        Assert.Equal(toB, (await NextMessageAsync(b, cts.Token)).Data.ToArray());
        Assert.Equal(toA, (await NextMessageAsync(a, cts.Token)).Data.ToArray());
        Assert.Equal(SctpAssociationState.Established, a.State);
        Assert.Equal(SctpAssociationState.Established, b.State);
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task A_packet_the_path_refuses_must_end_the_association_with_the_reason()
    {
        var bridge = new DatagramBridge(seed: 4, autoDeliver: true, maxDatagramSize: 1000);
        // The path claims more room than its far end takes: the first full-size packet is refused.
        var a = new SctpTransport(new OverstatedLimit(bridge.Left, 1200), Fast);
        var b = new SctpTransport(bridge.Right, Fast);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Task.WhenAll(a.ConnectAsync(cts.Token), b.ConnectAsync(cts.Token));

        await a.SendAsync(1, 53, new byte[5000], cancellationToken: cts.Token);
        var closed = Assert.IsType<SctpEvent.Closed>(await ReadUntilClosedAsync(a, cts.Token));
        Assert.Contains("sending failed", closed.Reason);
        await a.DisposeAsync();
        await b.DisposeAsync();
        Assert.True(a.LoopsStopped && b.LoopsStopped);
    }

    private static async Task<SctpEvent.MessageReceived> NextMessageAsync(SctpTransport transport, CancellationToken ct)
    {
        while (true)
            if (await transport.ReadEventAsync(ct) is SctpEvent.MessageReceived message)
                return message;
    }

    /// <summary>A path that reports a larger datagram limit than the one below it enforces.</summary>
    private sealed class OverstatedLimit(PxpActors.WebRtc.Datagrams.IDatagramConnection inner, int claimed) : PxpActors.WebRtc.Datagrams.IDatagramConnection
    {
        public int MaxDatagramSize => claimed;
        public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default) => inner.SendAsync(datagram, cancellationToken);
        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReceiveAsync(buffer, cancellationToken);
        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private static async Task<SctpEvent> ReadUntilClosedAsync(SctpTransport transport, CancellationToken ct)
    {
        while (true)
        {
            var e = await transport.ReadEventAsync(ct);
            if (e is SctpEvent.Closed)
                return e;
        }
    }
}
