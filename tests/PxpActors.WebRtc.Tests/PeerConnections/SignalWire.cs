using System.Threading.Channels;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.WebRtc.Tests.PeerConnections;

/// <summary>
/// Carries one peer connection's local signals to another, in order, as the JSON a PXP upgrade message
/// would carry, the way simple-peer users wire <c>peer.on('signal')</c> to the other <c>peer.signal()</c>.
/// </summary>
internal sealed class SignalWire : IAsyncDisposable
{
    private readonly Channel<string> _queue = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private readonly IWebRtcPeerConnection _from;

    public SignalWire(IWebRtcPeerConnection from, IWebRtcPeerConnection to)
    {
        _from = from;
        from.LocalSignal += OnSignal;
        _pump = PumpAsync(to);
    }

    public List<string> Carried { get; } = [];

    /// <summary>The first signal the receiving side refused, if any.</summary>
    public Task Pump => _pump;

    public async ValueTask DisposeAsync()
    {
        _from.LocalSignal -= OnSignal;
        _queue.Writer.TryComplete();
        await _pump;
    }

    private void OnSignal(Signal signal) => _queue.Writer.TryWrite(signal.ToJson());

    private async Task PumpAsync(IWebRtcPeerConnection to)
    {
        await foreach (var json in _queue.Reader.ReadAllAsync())
        {
            lock (Carried) Carried.Add(json);
            if (to.State == PeerConnectionState.Closed) continue;
            await to.SignalAsync(Signal.Parse(json));
        }
    }
}
