using System.Net.Sockets;
using PxpActors.Resources;

namespace PxpActors.Transports.Tcp;

/// <summary>
/// Accepts connections until disposed, and never stops for a passing error: out of descriptors or buffers, or a
/// connection aborted while queued, is reported, backed off and retried; only an error of the listening socket itself
/// stops it, reported as fatal. A connection past the node's socket cap is closed as soon as it is accepted.
/// </summary>
internal sealed class AcceptingListener : ITransportListener
{
    // After a passing accept error: wait, doubling up to a second, so a node out of descriptors is not spun on.
    private static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestBackOff = TimeSpan.FromSeconds(1);

    private readonly Func<CancellationToken, ValueTask<Socket>> _accept;
    private readonly IDisposable _listening;
    private readonly SocketGate _gate;
    private readonly Action<ListenerException>? _onError;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    /// <param name="localAddress">The address bound.</param>
    /// <param name="accept">Takes the next connection (a listening socket's AcceptAsync).</param>
    /// <param name="listening">Disposed to stop: the listening socket.</param>
    /// <param name="gate">Where accepted sockets are counted; one past its cap is closed at once.</param>
    /// <param name="onAccepted">Given each accepted connection.</param>
    /// <param name="onError">Told of each connection it failed to accept (see <see cref="ListenerException.Fatal"/>).</param>
    public AcceptingListener(Uri localAddress, Func<CancellationToken, ValueTask<Socket>> accept, IDisposable listening,
        SocketGate gate, Func<Stream, Task> onAccepted, Action<ListenerException>? onError)
    {
        LocalAddress = localAddress;
        _accept = accept;
        _listening = listening;
        _gate = gate;
        _onError = onError;
        _acceptLoop = AcceptLoop(onAccepted);
    }

    public Uri LocalAddress { get; }

    private async Task AcceptLoop(Func<Stream, Task> onAccepted)
    {
        var backOff = FirstBackOff;
        while (!_stop.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _accept(_stop.Token).ConfigureAwait(false);
                backOff = FirstBackOff;
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e) when (IsPassing(e.SocketErrorCode))
            {
                Report(fatal: false, $"accepting failed ({e.Message}); retrying in {backOff.TotalMilliseconds:0} ms", e);
                if (!await BackOffAsync(backOff).ConfigureAwait(false)) return;
                backOff = TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, LongestBackOff.Ticks));
                continue;
            }
            catch (Exception e)
            {
                Report(fatal: true, $"stopped accepting: {e.Message}", e);
                return;
            }
            if (!_gate.TryEnter())
            {
                accepted.Dispose(); // the node holds its cap: refused at once, so the descriptor is back before the next accept
                continue;
            }
            try
            {
                accepted.NoDelay = true;
                _ = onAccepted(new GatedNetworkStream(accepted, _gate));
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                accepted.Dispose(); // reset by the peer before we took it
                _gate.Leave();
            }
        }
    }

    /// <summary>Errors that pass: out of descriptors or buffers, or a connection that went away while queued.</summary>
    private static bool IsPassing(SocketError error) => error is SocketError.TooManyOpenSockets
        or SocketError.NoBufferSpaceAvailable or SocketError.ConnectionAborted or SocketError.ConnectionReset
        or SocketError.Interrupted or SocketError.TryAgain or SocketError.WouldBlock or SocketError.ProtocolType
        or SocketError.NetworkDown or SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.TimedOut;

    private async Task<bool> BackOffAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Report(bool fatal, string message, Exception error)
    {
        try
        {
            _onError?.Invoke(new ListenerException(LocalAddress, fatal, message, error));
        }
        catch (Exception)
        {
            // A failing error handler must not stop the listener.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listening.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
