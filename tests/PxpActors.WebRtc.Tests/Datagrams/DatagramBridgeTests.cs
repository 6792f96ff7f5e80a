using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Datagrams;
using Xunit;

namespace PxpActors.WebRtc.Tests.Datagrams;

public sealed class DatagramBridgeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private static async Task<byte[]> ReceiveAsync(IDatagramConnection end)
    {
        var buffer = new byte[2048];
        var n = await end.ReceiveAsync(buffer).AsTask().WaitAsync(Timeout);
        return buffer[..n];
    }

    private static ValueTask SendAsync(IDatagramConnection end, byte value) => end.SendAsync(new[] { value });

    [Fact]
    public async Task Bridge_must_hold_datagrams_until_ticked()
    {
        var bridge = new DatagramBridge();
        await SendAsync(bridge.Left, 1);
        await SendAsync(bridge.Left, 2);
        await SendAsync(bridge.Right, 9);

        Assert.Equal(2, bridge.LeftToRight.HeldCount);
        Assert.Equal(0, bridge.Right.PendingCount);

        Assert.Equal(2, bridge.Tick());
        Assert.Equal(new byte[] { 1 }, await ReceiveAsync(bridge.Right));
        Assert.Equal(new byte[] { 9 }, await ReceiveAsync(bridge.Left));
        Assert.Equal(1, bridge.LeftToRight.HeldCount);

        Assert.Equal(1, bridge.DeliverAll());
        Assert.Equal(new byte[] { 2 }, await ReceiveAsync(bridge.Right));
        Assert.Equal(3, bridge.LeftToRight.DeliveredCount + bridge.RightToLeft.DeliveredCount);
    }

    [Fact]
    public async Task Bridge_must_deliver_immediately_in_auto_mode()
    {
        var bridge = new DatagramBridge(autoDeliver: true);
        var receive = ReceiveAsync(bridge.Right);
        await SendAsync(bridge.Left, 7);
        Assert.Equal(new byte[] { 7 }, await receive);
    }

    [Fact]
    public async Task Bridge_must_flush_held_datagrams_when_auto_mode_is_turned_on()
    {
        var bridge = new DatagramBridge();
        await SendAsync(bridge.Left, 1);
        bridge.AutoDeliver = true;
        Assert.Equal(new byte[] { 1 }, await ReceiveAsync(bridge.Right));
    }

    [Fact]
    public async Task Bridge_must_lose_the_same_datagrams_for_the_same_seed()
    {
        static async Task<byte[]> SurvivorsAsync(int seed)
        {
            var bridge = new DatagramBridge(seed);
            bridge.SetLossRate(0.3);
            for (var i = 0; i < 100; i++) await SendAsync(bridge.Left, (byte)i);
            return bridge.LeftToRight.Held.Select(d => d[0]).ToArray();
        }

        var first = await SurvivorsAsync(42);
        var second = await SurvivorsAsync(42);
        Assert.Equal(first, second);
        Assert.InRange(first.Length, 50, 90);
        Assert.NotEqual(first, await SurvivorsAsync(43));
    }

    [Fact]
    public async Task Bridge_must_drop_by_filter_and_drop_next()
    {
        var bridge = new DatagramBridge();
        bridge.LeftToRight.Filter = d => d.Span[0] % 2 == 0;
        bridge.LeftToRight.DropNext(1);
        for (byte i = 0; i < 6; i++) await SendAsync(bridge.Left, i);

        // 0 is dropped by DropNext (after passing the filter), 1/3/5 by the filter.
        Assert.Equal(new byte[] { 2, 4 }, bridge.LeftToRight.Held.Select(d => d[0]));
        Assert.Equal(4, bridge.LeftToRight.DroppedCount);
        Assert.Equal(6, bridge.LeftToRight.SentCount);
    }

    [Fact]
    public async Task Bridge_must_reorder_and_duplicate()
    {
        var bridge = new DatagramBridge();
        bridge.LeftToRight.ReorderNext(3);
        for (byte i = 1; i <= 4; i++) await SendAsync(bridge.Left, i);
        Assert.Equal(new byte[] { 3, 2, 1, 4 }, bridge.LeftToRight.Held.Select(d => d[0]));

        bridge.LeftToRight.ReverseHeld();
        bridge.LeftToRight.DuplicateHeld(0);
        bridge.LeftToRight.DropHeld(offset: 2, count: 1);
        Assert.Equal(new byte[] { 4, 4, 2, 3 }, bridge.LeftToRight.Held.Select(d => d[0]));

        bridge.DeliverAll();
        foreach (var expected in new byte[] { 4, 4, 2, 3 })
            Assert.Equal(new[] { expected }, await ReceiveAsync(bridge.Right));
    }

    [Fact]
    public async Task Bridge_must_duplicate_by_rate_deterministically()
    {
        var bridge = new DatagramBridge(seed: 5);
        bridge.LeftToRight.DuplicateRate = 1;
        await SendAsync(bridge.Left, 1);
        Assert.Equal(2, bridge.LeftToRight.HeldCount);
    }

    [Fact]
    public async Task Bridge_must_signal_when_datagrams_are_held()
    {
        var bridge = new DatagramBridge();
        var waiting = bridge.LeftToRight.WaitForHeldAsync(2);
        await SendAsync(bridge.Left, 1);
        Assert.False(waiting.IsCompleted);
        await SendAsync(bridge.Left, 2);
        await waiting.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Bridge_must_drop_when_the_inbox_is_full()
    {
        var bridge = new DatagramBridge(inboxCapacity: 2, autoDeliver: true);
        for (byte i = 0; i < 3; i++) await SendAsync(bridge.Left, i);
        Assert.Equal(2, bridge.Right.PendingCount);
        Assert.Equal(1, bridge.LeftToRight.DroppedCount);
    }

    [Fact]
    public async Task Bridge_end_must_fail_receives_and_sends_once_closed()
    {
        var bridge = new DatagramBridge();
        var pending = bridge.Right.ReceiveAsync(new byte[16]).AsTask();
        await bridge.Right.DisposeAsync();

        await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => pending.WaitAsync(Timeout));
        await Assert.ThrowsAsync<DatagramConnectionClosedException>(() => SendAsync(bridge.Right, 1).AsTask());
        Assert.True(bridge.Right.IsClosed);

        // The other end still sends; the datagram is lost as it would be on a real network.
        await SendAsync(bridge.Left, 1);
        Assert.Equal(0, bridge.DeliverAll());
        Assert.Equal(1, bridge.LeftToRight.DroppedCount);
    }

    [Fact]
    public async Task Bridge_must_reject_datagrams_larger_than_its_maximum()
    {
        var bridge = new DatagramBridge(maxDatagramSize: 4);
        await Assert.ThrowsAsync<ArgumentException>(() => bridge.Left.SendAsync(new byte[5]).AsTask());
    }
}
