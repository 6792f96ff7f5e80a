using System.Threading.Channels;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.Bench.Topologies;

/// <summary>Carries one peer connection's local signals, in order, to a sink (the other side's signalling).</summary>
public sealed class SignalPump : IAsyncDisposable
{
    private readonly IWebRtcPeerConnection _from;
    private readonly Channel<Signal> _queue = Channel.CreateUnbounded<Signal>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;

    public SignalPump(IWebRtcPeerConnection from, Func<Signal, Task> to)
    {
        _from = from;
        from.LocalSignal += OnSignal;
        _pump = PumpAsync(to);
    }

    /// <summary>Faults when the sink refused a signal.</summary>
    public Task Pump => _pump;

    public async ValueTask DisposeAsync()
    {
        _from.LocalSignal -= OnSignal;
        _queue.Writer.TryComplete();
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (Exception e) when (e is PeerConnectionException or PxpActors.TestSupport.Wrtc.WrtcException)
        {
            // A side closed while signals were in flight; the benchmark's own waits report what matters.
        }
    }

    private void OnSignal(Signal signal) => _queue.Writer.TryWrite(signal);

    private async Task PumpAsync(Func<Signal, Task> to)
    {
        await foreach (var signal in _queue.Reader.ReadAllAsync().ConfigureAwait(false)) await to(signal).ConfigureAwait(false);
    }
}
