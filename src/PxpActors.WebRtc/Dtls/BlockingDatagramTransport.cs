using Org.BouncyCastle.Tls;
using PxpActors.WebRtc.Transport;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's blocking <see cref="DatagramTransport"/> over our async <see cref="IDatagramConnection"/>.
/// A pump task reads the lower connection into a bounded inbox (a full inbox drops, as a socket would);
/// <see cref="Receive(Span{byte}, int)"/> blocks the DTLS worker thread on that inbox. Pumping instead of
/// calling the lower ReceiveAsync with a timeout means no datagram is ever lost to a cancelled read.
/// <see cref="Close"/> (from BouncyCastle or from us) wakes a blocked receive with
/// <see cref="DatagramConnectionClosedException"/>, which is how the worker thread is ended on demand.
/// </summary>
internal sealed class BlockingDatagramTransport : DatagramTransport
{
    /// <summary>Largest DTLS record we accept whatever the lower path claims: 2^14 + 2048 expansion + header.</summary>
    private const int MaxRecordDatagram = (1 << 14) + 2048 + 13;

    private readonly IDatagramConnection _lower;
    private readonly int _inboxCapacity;
    private readonly Queue<byte[]> _inbox = new();
    private readonly object _gate = new();
    private readonly CancellationTokenSource _pumpStop = new();
    private bool _closed;
    private Exception? _lowerFailure;

    public BlockingDatagramTransport(IDatagramConnection lower, int inboxCapacity)
    {
        _lower = lower;
        _inboxCapacity = inboxCapacity;
        Pump = Task.Run(PumpAsync);
    }

    /// <summary>Ends once the lower connection closes or <see cref="StopPumpAsync"/> is called; never faults.</summary>
    public Task Pump { get; }

    public bool IsClosed
    {
        get { lock (_gate) return _closed; }
    }

    /// <summary>Set when the lower connection closed or failed underneath us.</summary>
    public Exception? LowerFailure
    {
        get { lock (_gate) return _lowerFailure; }
    }

    public int GetReceiveLimit() => Math.Max(_lower.MaxDatagramSize, MaxRecordDatagram);

    public int GetSendLimit() => _lower.MaxDatagramSize;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <summary>Blocks for the next datagram; -1 after <paramref name="waitMillis"/> (0 = no limit).</summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        byte[] datagram;
        lock (_gate)
        {
            var deadline = waitMillis > 0 ? Environment.TickCount64 + waitMillis : long.MaxValue;
            while (_inbox.Count == 0 && !_closed)
            {
                if (waitMillis <= 0)
                {
                    Monitor.Wait(_gate);
                    continue;
                }
                var remaining = deadline - Environment.TickCount64;
                if (remaining <= 0) return -1;
                Monitor.Wait(_gate, (int)remaining);
            }
            if (_closed)
                throw new DatagramConnectionClosedException("The DTLS datagram transport is closed.", _lowerFailure);
            datagram = _inbox.Dequeue();
        }
        // A datagram larger than BouncyCastle's buffer is not a valid record for it: drop it, don't fail.
        if (datagram.Length > buffer.Length) return -1;
        datagram.CopyTo(buffer);
        return datagram.Length;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    /// <summary>
    /// Hands one record datagram to the lower path. The seam promises SendAsync never waits on the network,
    /// so completing it synchronously here is short. Sends after close are dropped silently: BouncyCastle
    /// tries to send alerts while tearing down and a lost datagram is never an error.
    /// </summary>
    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (IsClosed) return;
        try
        {
            var pending = _lower.SendAsync(buffer.ToArray());
            if (!pending.IsCompletedSuccessfully) pending.AsTask().GetAwaiter().GetResult();
        }
        catch (DatagramConnectionClosedException)
        {
            // The pump sees the same closure and closes us; nothing to add here.
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _inbox.Clear();
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Stops reading the lower connection and waits until the pump task has ended.</summary>
    public async Task StopPumpAsync()
    {
        _pumpStop.Cancel();
        await Pump.ConfigureAwait(false);
        _pumpStop.Dispose();
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[GetReceiveLimit()];
        try
        {
            while (true)
            {
                var length = await _lower.ReceiveAsync(buffer, _pumpStop.Token).ConfigureAwait(false);
                lock (_gate)
                {
                    if (_closed) return;
                    if (_inbox.Count >= _inboxCapacity) continue;
                    _inbox.Enqueue(buffer.AsSpan(0, length).ToArray());
                    Monitor.Pulse(_gate);
                }
            }
        }
        catch (OperationCanceledException) when (_pumpStop.IsCancellationRequested)
        {
            // Stopped by our owner during teardown.
        }
        catch (Exception failure)
        {
            lock (_gate) _lowerFailure = failure;
            Close();
        }
    }
}
