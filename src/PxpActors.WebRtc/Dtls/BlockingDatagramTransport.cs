using System.Buffers.Binary;
using Org.BouncyCastle.Tls;
using PxpActors.WebRtc.Datagrams;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's blocking <see cref="DatagramTransport"/> over our async <see cref="IDatagramConnection"/>.
/// A pump task reads the lower connection into a bounded inbox (a full inbox drops, as a socket would);
/// <see cref="Receive(Span{byte}, int)"/> blocks the DTLS worker thread on that inbox. Pumping instead of
/// calling the lower ReceiveAsync with a timeout means no datagram is ever lost to a cancelled read.
/// <see cref="Close"/> (from BouncyCastle or from us) wakes a blocked receive with
/// <see cref="DatagramConnectionClosedException"/>, which is how the worker thread is ended on demand.
/// The lower connection may still be on its way (ICE checking): the pump starts reading once it arrives,
/// and BouncyCastle is only handed this transport after it has (see <see cref="Lower"/>).
/// <para>Once the handshake is done, <see cref="ReadApplicationData"/> lets the pump open application-data records
/// itself and hand their plaintext straight up on the thread that received them; only the other records still
/// go through the inbox to BouncyCastle's thread.</para>
/// </summary>
internal sealed class BlockingDatagramTransport : DatagramTransport
{
    /// <summary>Largest DTLS record we accept whatever the lower path claims: 2^14 + 2048 expansion + header.</summary>
    private const int MaxRecordDatagram = (1 << 14) + 2048 + 13;

    /// <summary>
    /// Once the pump opens application data itself, BouncyCastle only gets alerts and retransmitted handshake
    /// records, which WebRTC stacks keep within a path MTU: its buffers (one held per connection while it waits)
    /// need not be sized for the largest record any more. A larger datagram for it is dropped like a lost one.
    /// </summary>
    private const int ControlDatagramLimit = 4096;

    /// <summary>
    /// Datagrams with application data handed to BouncyCastle that are remembered for the switch to our record path:
    /// as many as the replay window holds records, since older ones are too old for it anyway.
    /// </summary>
    private const int RememberedBeforeSwitch = DtlsReplayWindow.Size;

    private readonly Task<IDatagramConnection> _pendingLower;
    private readonly int _inboxCapacity;
    private readonly Queue<byte[]> _inbox = new();
    private readonly object _gate = new();
    private readonly CancellationTokenSource _pumpStop = new();
    private bool _closed;
    private Exception? _lowerFailure;
    private readonly object _flightGate = new();
    private volatile bool _coalescing = true;
    private byte[]? _flight;
    private int _flightLength;
    private ApplicationDataPath? _applicationData;
    private readonly Queue<byte[]> _handedBeforeSwitch = new();
    private bool _pumpEnded;

    /// <summary>Where the pump opens application data, and who takes the plaintext.</summary>
    private sealed record ApplicationDataPath(DtlsApplicationDataReader Reader, Action<ReadOnlySpan<byte>> Deliver);

    public BlockingDatagramTransport(IDatagramConnection lower, int inboxCapacity)
        : this(Task.FromResult(lower), inboxCapacity)
    {
    }

    public BlockingDatagramTransport(Task<IDatagramConnection> lower, int inboxCapacity)
    {
        _pendingLower = lower;
        _inboxCapacity = inboxCapacity;
        Pump = Task.Run(PumpAsync);
    }

    /// <summary>The path below; only valid once the task given to the constructor has succeeded.</summary>
    private IDatagramConnection Lower => _pendingLower.Result;

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

    /// <summary>Application-data records the pump opened itself (0 before <see cref="ReadApplicationData"/>).</summary>
    public long ApplicationRecordsOpened => Volatile.Read(ref _applicationData)?.Reader.OpenedCount ?? 0;

    public int GetReceiveLimit() =>
        Math.Max(Lower.MaxDatagramSize, Volatile.Read(ref _applicationData) is null ? MaxRecordDatagram : ControlDatagramLimit);

    public int GetSendLimit() => Lower.MaxDatagramSize;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <summary>Blocks for the next datagram; -1 after <paramref name="waitMillis"/> (0 = no limit).</summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        FlushFlight(); // BouncyCastle waits for the peer only once its flight is written
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
        if (_coalescing)
        {
            // During the handshake BouncyCastle writes each message of a flight as its own record; packing them
            // into as few datagrams as the path allows (RFC 6347 section 4.1.1) saves the peer a wake-up per message.
            var limit = Lower.MaxDatagramSize;
            lock (_flightGate)
            {
                if (_flightLength > 0 && _flightLength + buffer.Length > limit) FlushFlight();
                if (buffer.Length <= limit)
                {
                    _flight ??= new byte[limit];
                    buffer.CopyTo(_flight.AsSpan(_flightLength));
                    _flightLength += buffer.Length;
                    return;
                }
            }
        }
        SendNow(buffer);
    }

    /// <summary>
    /// The handshake is over (or failed): what is still packed goes out (the final flight, a fatal alert) and
    /// later records (application data, from any thread) are sent one by one as they come.
    /// </summary>
    public void EndHandshake()
    {
        FlushFlight();
        _coalescing = false;
    }

    /// <summary>Sends the packed records, if any.</summary>
    private void FlushFlight()
    {
        if (!_coalescing) return;
        lock (_flightGate)
        {
            if (_flightLength == 0) return;
            var length = _flightLength;
            _flightLength = 0;
            SendNow(_flight.AsSpan(0, length));
        }
    }

    private void SendNow(ReadOnlySpan<byte> buffer)
    {
        if (IsClosed) return;
        try
        {
            var pending = Lower.SendAsync(buffer.ToArray());
            if (!pending.IsCompletedSuccessfully) pending.AsTask().GetAwaiter().GetResult();
        }
        catch (DatagramConnectionClosedException)
        {
            // The pump sees the same closure and closes us; nothing to add here.
        }
    }

    public void Close()
    {
        FlushFlight(); // BouncyCastle closes right after writing a fatal alert: the peer must still get it
        lock (_gate)
        {
            _closed = true;
            _inbox.Clear();
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// From now on the pump opens application-data records with <paramref name="reader"/> (which it then owns and
    /// disposes) and passes each plaintext to <paramref name="deliver"/> on its own thread.
    /// </summary>
    public void ReadApplicationData(DtlsApplicationDataReader reader, Action<ReadOnlySpan<byte>> deliver)
    {
        lock (_gate)
        {
            if (!_pumpEnded && _applicationData is null)
            {
                // What BouncyCastle may already have accepted must not be accepted again on our path.
                while (_handedBeforeSwitch.TryDequeue(out var handed)) reader.Remember(handed);
                Volatile.Write(ref _applicationData, new ApplicationDataPath(reader, deliver));
                return;
            }
        }
        reader.Dispose();
    }

    /// <summary>Stops reading the lower connection and waits until the pump task has ended.</summary>
    public async Task StopPumpAsync()
    {
        _pumpStop.Cancel();
        await Pump.ConfigureAwait(false);
        _pumpStop.Dispose();
    }

    /// <summary>
    /// Keeps a datagram handed to BouncyCastle for <see cref="ReadApplicationData"/>; once the switch has happened (it
    /// may have while this datagram was on its way here), the reader marks it at once. Under the lock, on the pump.
    /// </summary>
    private void RememberForSwitch(byte[] datagram)
    {
        if (!HoldsApplicationData(datagram)) return; // the handshake's datagrams need not be kept
        if (_applicationData is { } late)
        {
            late.Reader.Remember(datagram);
            return;
        }
        if (_handedBeforeSwitch.Count == RememberedBeforeSwitch) _handedBeforeSwitch.Dequeue();
        _handedBeforeSwitch.Enqueue(datagram);
    }

    private static bool HoldsApplicationData(ReadOnlySpan<byte> datagram)
    {
        for (var offset = 0; datagram.Length - offset >= DtlsApplicationDataReader.HeaderLength;
             offset += DtlsApplicationDataReader.HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 11)..]))
        {
            if (datagram[offset] == DtlsApplicationDataReader.ApplicationData) return true;
        }
        return false;
    }

    private async Task PumpAsync()
    {
        try
        {
            var lower = await _pendingLower.WaitAsync(_pumpStop.Token).ConfigureAwait(false);
            var buffer = new byte[Math.Max(lower.MaxDatagramSize, MaxRecordDatagram)];
            var plaintexts = new List<Range>();
            while (true)
            {
                var length = await lower.ReceiveAsync(buffer, _pumpStop.Token).ConfigureAwait(false);
                if (Volatile.Read(ref _closed)) return;
                byte[]? forRecordLayer;
                var path = Volatile.Read(ref _applicationData);
                if (path is not null)
                {
                    forRecordLayer = path.Reader.Read(buffer.AsSpan(0, length), plaintexts);
                    foreach (var plaintext in plaintexts)
                        path.Deliver(buffer.AsSpan(plaintext));
                    if (forRecordLayer is null) continue;
                }
                else
                {
                    forRecordLayer = buffer.AsSpan(0, length).ToArray();
                }
                lock (_gate)
                {
                    if (_closed) return;
                    if (_inbox.Count >= _inboxCapacity) continue;
                    _inbox.Enqueue(forRecordLayer);
                    Monitor.Pulse(_gate);
                    if (path is null) RememberForSwitch(forRecordLayer);
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
        finally
        {
            ApplicationDataPath? path;
            lock (_gate)
            {
                _pumpEnded = true;
                path = _applicationData;
            }
            path?.Reader.Dispose();
        }
    }
}
