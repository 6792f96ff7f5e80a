using System.Threading.Channels;
using PxpActors.WebRtc.Datagrams;

namespace PxpActors.WebRtc.Ice;

/// <summary>
/// What ICE offers the layer above: datagrams over the selected pair. STUN stays inside ICE (RFC 7983
/// demultiplexing happens in the agent); everything else from the authenticated peer lands here, in a
/// bounded queue. Disposing it closes the agent and its sockets.
/// </summary>
internal sealed class IceConnection : IDatagramConnection
{
    /// <summary>Safe on any path carrying WebRTC (libwebrtc and Chromium size DTLS records to about this).</summary>
    public const int SafeDatagramSize = 1200;

    private readonly IceAgent _agent;
    private readonly Channel<byte[]> _inbox;
    private Exception? _closeCause;
    private long _dropped;

    public IceConnection(IceAgent agent, int capacity)
    {
        _agent = agent;
        _inbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then reports a full queue and we drop
            SingleReader = false,
            SingleWriter = false,
            // A waiting reader (the DTLS pump) resumes on the receive loop that delivered the datagram instead of
            // a thread-pool hop later: one scheduling delay less per handshake flight. Deliver runs outside the
            // agent's lock, so the reader's code never runs under it.
            AllowSynchronousContinuations = true,
        });
    }

    public int MaxDatagramSize => SafeDatagramSize;

    /// <summary>Datagrams dropped because the reader fell behind.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken = default) =>
        _agent.SendApplicationAsync(datagram, cancellationToken);

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        byte[] datagram;
        try
        {
            datagram = await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new DatagramConnectionClosedException("The ICE connection is closed.", _closeCause);
        }
        if (datagram.Length > buffer.Length)
            throw new ArgumentException($"Buffer of {buffer.Length} bytes is smaller than the {datagram.Length}-byte datagram.", nameof(buffer));
        datagram.CopyTo(buffer);
        return datagram.Length;
    }

    public ValueTask DisposeAsync() => _agent.DisposeAsync();

    internal void Deliver(byte[] datagram)
    {
        if (!_inbox.Writer.TryWrite(datagram)) Interlocked.Increment(ref _dropped);
    }

    /// <summary>No more datagrams: readers drain what is queued, then get the cause.</summary>
    internal void Complete(Exception? cause)
    {
        _closeCause ??= cause;
        _inbox.Writer.TryComplete();
    }
}
