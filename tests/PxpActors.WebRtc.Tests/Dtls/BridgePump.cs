using PxpActors.TestSupport.Datagrams;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>
/// Delivers a bridge's held datagrams in shuffled batches: each direction waits until at least two
/// datagrams are in flight, shuffles them with the link's seeded random and delivers them, so every
/// batch may arrive out of order. A lone datagram waits for its sender's retransmission to join it,
/// which DTLS always produces, so the handshake keeps moving without any timer in the test.
/// </summary>
internal sealed class BridgePump : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;

    public BridgePump(DatagramBridge bridge)
    {
        _loops =
        [
            Task.Run(() => RunAsync(bridge, BridgeDirection.LeftToRight)),
            Task.Run(() => RunAsync(bridge, BridgeDirection.RightToLeft)),
        ];
    }

    private async Task RunAsync(DatagramBridge bridge, BridgeDirection direction)
    {
        var link = bridge.Link(direction);
        try
        {
            while (true)
            {
                await link.WaitForHeldAsync(2, _stop.Token);
                link.ShuffleHeld();
                bridge.Deliver(direction);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_loops);
        _stop.Dispose();
    }
}
