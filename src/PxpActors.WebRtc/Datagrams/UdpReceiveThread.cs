using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace PxpActors.WebRtc.Datagrams;

/// <summary>
/// Receives a UDP socket's datagrams on a thread of its own, as libwebrtc's network thread does, and completes
/// the caller's receive on that thread: the caller's continuation (ICE, DTLS and SCTP, chained synchronously)
/// runs right there. An async socket receive instead woke .NET's socket-engine thread, which handed each
/// datagram to a thread-pool worker: two wake-ups per datagram whenever the receiver keeps up, which was most
/// of the receive path's CPU (and CPU a sending peer on the same machine then lacked).
/// </summary>
/// <remarks>
/// The thread waits for readability without a buffer (poll) and only then reads, under the lock, into the
/// buffer of the receive that is still waiting: a cancelled receive's buffer is never written, and no buffer
/// of ours is held per socket. One receive at a time. Disposing the socket wakes the poll, the waiting
/// receive fails with <see cref="DatagramConnectionClosedException"/> and the thread ends.
/// </remarks>
internal sealed class UdpReceiveThread : IValueTaskSource<DatagramReceiveResult>
{
    private readonly Socket _socket;
    private readonly Func<bool> _isClosed;
    private readonly object _gate = new();
    private ManualResetValueTaskSourceCore<DatagramReceiveResult> _completion; // continuations run on the thread
    private Thread? _thread;
    private Memory<byte> _buffer;
    private bool _waiting;
    private bool _closed;
    private CancellationTokenRegistration _cancellation;

    // A backstop only: closing wakes the poll at once on Linux; elsewhere the thread ends within this.
    private const int PollMicroseconds = 1_000_000;

    /// <param name="socket">Made non-blocking here: a read after a poll that had nothing to read (an ICMP error
    /// was consumed) must not block under the lock.</param>
    /// <param name="isClosed">Whether the socket's owner has closed it: the thread ends once it has.</param>
    public UdpReceiveThread(Socket socket, Func<bool> isClosed)
    {
        _socket = socket;
        _socket.Blocking = false;
        _isClosed = isClosed;
    }

    public bool IsThreadAlive => _thread?.IsAlive ?? false;

    /// <summary>Waits for the next datagram that fits <paramref name="buffer"/> (larger ones are skipped).</summary>
    public ValueTask<DatagramReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        short token;
        lock (_gate)
        {
            if (_closed) throw new DatagramConnectionClosedException("The UDP socket is closed.");
            if (_waiting) throw new InvalidOperationException("Only one receive at a time.");
            _completion.Reset();
            token = _completion.Version;
            _buffer = buffer;
            _waiting = true;
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "udp-receive" };
                _thread.Start();
            }
            else
            {
                Monitor.Pulse(_gate);
            }
        }
        // Registered outside the lock: a token already cancelled runs the callback right here.
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.UnsafeRegister(static (state, ct) => ((UdpReceiveThread)state!).Cancel(ct), this);
            lock (_gate)
            {
                if (_waiting && _completion.Version == token) _cancellation = registration;
                else registration.Dispose();
            }
        }
        return new ValueTask<DatagramReceiveResult>(this, token);
    }

    /// <summary>
    /// Before the socket is disposed: a waiting receive fails and the thread ends. Shutting the socket down wakes
    /// the thread's poll (Linux does so for an unconnected UDP socket too, though it reports ENOTCONN).
    /// </summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.Pulse(_gate);
        }
        Fail(new DatagramConnectionClosedException("The UDP socket is closed."));
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Not connected (the usual answer for UDP, the wake-up still happens) or already closed.
        }
    }

    /// <summary>For tests: waits until the thread has ended.</summary>
    public bool Join(TimeSpan timeout) => _thread?.Join(timeout) ?? true;

    private void Run()
    {
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    while (!_waiting && !_closed) Monitor.Wait(_gate);
                    if (_closed) return;
                }
                // Waits until a datagram is queued; shutting the socket down wakes it.
                if (!_socket.Poll(PollMicroseconds, SelectMode.SelectRead)) continue;
                if (TryReceive() is { } received) Complete(received);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed by us: the closed exception. Otherwise the socket's own error, which ICE reports as a network failure.
            Fail(_isClosed() ? new DatagramConnectionClosedException("The UDP socket is closed.", e) : e);
        }
    }

    /// <summary>Reads the queued datagram into the waiting receive's buffer; null when there is none to complete.</summary>
    private DatagramReceiveResult? TryReceive()
    {
        lock (_gate)
        {
            if (!_waiting || _closed) return null; // cancelled meanwhile: the datagram stays queued for the next receive
            EndPoint from = _socket.AddressFamily == AddressFamily.InterNetworkV6
                ? new IPEndPoint(IPAddress.IPv6Any, 0)
                : new IPEndPoint(IPAddress.Any, 0);
            var flags = SocketFlags.None;
            int length;
            try
            {
                length = _socket.ReceiveMessageFrom(_buffer.Span, ref flags, ref from, out _);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.ConnectionReset or SocketError.MessageSize)
            {
                return null; // nothing queued after all, an ICMP error for an earlier send, or an oversized datagram: skip it
            }
            // A datagram larger than the buffer would arrive cut short without a word; this says so.
            if ((flags & SocketFlags.Truncated) != 0) return null; // no datagram of ours is that large: skip it
            return new DatagramReceiveResult(length, (IPEndPoint)from);
        }
    }

    private void Complete(DatagramReceiveResult received)
    {
        CancellationTokenRegistration cancellation;
        lock (_gate)
        {
            if (!_waiting) return;
            _waiting = false;
            _buffer = default;
            cancellation = _cancellation;
            _cancellation = default;
        }
        cancellation.Dispose();
        _completion.SetResult(received); // the receiver's continuation runs here, on this thread
    }

    private void Cancel(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_waiting) return;
            _waiting = false;
            _buffer = default;
            _cancellation = default; // disposing it from its own callback would wait for itself
        }
        _completion.SetException(new OperationCanceledException(cancellationToken));
    }

    private void Fail(Exception error)
    {
        CancellationTokenRegistration cancellation;
        lock (_gate)
        {
            _closed = true;
            if (!_waiting) return;
            _waiting = false;
            _buffer = default;
            cancellation = _cancellation;
            _cancellation = default;
        }
        cancellation.Dispose();
        _completion.SetException(error);
    }

    public DatagramReceiveResult GetResult(short token) => _completion.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _completion.OnCompleted(continuation, state, token, flags);
}
