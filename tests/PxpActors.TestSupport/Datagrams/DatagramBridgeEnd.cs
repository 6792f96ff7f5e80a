using System.Threading.Channels;
using PxpActors.WebRtc.Datagrams;

namespace PxpActors.TestSupport.Datagrams;

/// <summary>
/// One end of a <see cref="DatagramBridge"/>. Sends go into the bridge's outgoing link; received datagrams
/// wait in a bounded inbox (a full inbox drops, like a socket's receive buffer).
/// </summary>
public sealed class DatagramBridgeEnd : IDatagramConnection
{
    private readonly DatagramBridge _bridge;
    private readonly BridgeDirection _outgoing;
    private readonly Channel<byte[]> _inbox;
    private int _closed;

    internal DatagramBridgeEnd(DatagramBridge bridge, BridgeDirection outgoing, int maxDatagramSize, int inboxCapacity)
    {
        _bridge = bridge;
        _outgoing = outgoing;
        MaxDatagramSize = maxDatagramSize;
        _inbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(inboxCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // so TryWrite reports a full inbox and we count the loss
            SingleReader = false,
            SingleWriter = false,
        });
    }

    public int MaxDatagramSize { get; }

    /// <summary>True once this end was disposed.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Datagrams waiting in this end's inbox.</summary>
    public int PendingCount => _inbox.Reader.Count;

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (IsClosed) throw new DatagramConnectionClosedException("This bridge end is closed.");
        if (datagram.Length > MaxDatagramSize)
            throw new ArgumentException($"Datagram of {datagram.Length} bytes exceeds the bridge's {MaxDatagramSize}.", nameof(datagram));
        _bridge.Send(_outgoing, datagram.ToArray());
        return ValueTask.CompletedTask;
    }

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        byte[] datagram;
        try
        {
            datagram = await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new DatagramConnectionClosedException("This bridge end is closed.");
        }
        if (datagram.Length > buffer.Length)
            throw new ArgumentException($"Buffer of {buffer.Length} bytes is smaller than the {datagram.Length}-byte datagram.", nameof(buffer));
        datagram.CopyTo(buffer);
        return datagram.Length;
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _inbox.Writer.TryComplete();
            while (_inbox.Reader.TryRead(out _)) { }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Puts a datagram into the inbox; false when closed or full (the datagram is lost).</summary>
    internal bool TryEnqueue(byte[] datagram) => !IsClosed && _inbox.Writer.TryWrite(datagram);
}
