using System.Net;
using System.Threading.Channels;
using PxpActors.WebRtc.Datagrams;

namespace PxpActors.TestSupport.Datagrams;

/// <summary>
/// A socket on a <see cref="VirtualHost"/>. Received datagrams wait in a bounded inbox. A datagram counts
/// as "being processed" from the moment it arrives until its reader asks for the next one, which is what
/// lets <see cref="VirtualNetwork.WaitForIdleAsync"/> know when everyone is done.
/// </summary>
public sealed class VirtualSocket : IDatagramSocket
{
    public const int InboxCapacity = 1024;

    private readonly VirtualNetwork _network;
    private readonly VirtualHost _host;
    private readonly Channel<(byte[] Data, IPEndPoint From)> _inbox =
        Channel.CreateBounded<(byte[], IPEndPoint)>(new BoundedChannelOptions(InboxCapacity) { FullMode = BoundedChannelFullMode.Wait });
    private int _outstanding;
    private int _handedOut;
    private int _closed;

    internal VirtualSocket(VirtualNetwork network, VirtualHost host, IPEndPoint localEndPoint)
    {
        _network = network;
        _host = host;
        LocalEndPoint = localEndPoint;
    }

    public IPEndPoint LocalEndPoint { get; }
    public VirtualHost Host => _host;
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Datagrams received and not yet fully processed by the reader.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    public ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, IPEndPoint remote, CancellationToken cancellationToken = default)
    {
        if (IsClosed) throw new DatagramConnectionClosedException("The virtual socket is closed.");
        _network.Send(this, remote, datagram.ToArray());
        return ValueTask.CompletedTask;
    }

    public async ValueTask<DatagramReceiveResult> ReceiveFromAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        FinishPrevious();
        (byte[] Data, IPEndPoint From) item;
        try
        {
            item = await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new DatagramConnectionClosedException("The virtual socket is closed.");
        }
        Volatile.Write(ref _handedOut, 1);
        item.Data.CopyTo(buffer);
        return new DatagramReceiveResult(item.Data.Length, item.From);
    }

    /// <summary>Synchronous receive for tests that drive a state machine by hand.</summary>
    public bool TryReceive(out byte[] data, out IPEndPoint from)
    {
        FinishPrevious();
        if (_inbox.Reader.TryRead(out var item))
        {
            Volatile.Write(ref _handedOut, 1);
            (data, from) = item;
            return true;
        }
        (data, from) = ([], null!);
        return false;
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _inbox.Writer.TryComplete();
            while (_inbox.Reader.TryRead(out _)) { }
            Volatile.Write(ref _outstanding, 0);
            _network.Unregister(this);
        }
        return ValueTask.CompletedTask;
    }

    internal bool TryEnqueue(byte[] data, IPEndPoint from)
    {
        if (IsClosed || !_inbox.Writer.TryWrite((data, from))) return false;
        Interlocked.Increment(ref _outstanding);
        return true;
    }

    private void FinishPrevious()
    {
        if (Interlocked.Exchange(ref _handedOut, 0) == 1 && Interlocked.Decrement(ref _outstanding) <= 0) _network.SignalProgress();
    }
}
