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
