using System.Text;
using System.Threading.Channels;
using Akka;
using Akka.IO;
using Akka.Streams.Dsl;
using Akka.Util;
using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Simulation.WebRtc;

/// <summary>
/// One end of a simulated data channel: messages go to the far end (<see cref="IChannelFarEnd"/>: straight into the other
/// end's inbox in memory, or as frames over a cross-system link), and arrive in this end's inbox (bounded, so a reader that
/// does not read holds the writer back, as SCTP's window would). Closing either end closes both; a cut fails both.
/// </summary>
internal sealed class SimulatedDataChannel : IWebRtcDataChannel, IChannelFarEnd
{
    /// <summary>The largest message a simulated channel takes.</summary>
    public const int MessageSizeLimit = 256 * 1024;
    private const int InboxMessages = 64;
    private readonly Channel<DataChannelMessage> _inbox =
        Channel.CreateBounded<DataChannelMessage>(new BoundedChannelOptions(InboxMessages) { SingleReader = true });
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<SimulatedDataChannel> _onClosed;
    private IChannelFarEnd _far = null!;
    private int _state; // DataChannelState

    private SimulatedDataChannel(ushort id, string label, Action<SimulatedDataChannel> onClosed)
    {
        Id = id;
        Label = label;
        _onClosed = onClosed;
    }

    /// <summary>A connected pair of ends.</summary>
    public static (SimulatedDataChannel Local, SimulatedDataChannel Remote) Pair(ushort id, string label,
        Action<SimulatedDataChannel> onLocalClosed, Action<SimulatedDataChannel> onRemoteClosed)
    {
        var local = new SimulatedDataChannel(id, label, onLocalClosed);
        var remote = new SimulatedDataChannel(id, label, onRemoteClosed);
        local._far = remote;
        remote._far = local;
        return (local, remote);
    }

    /// <summary>An end whose other end is <paramref name="far"/> (the frames of a cross-system link).</summary>
    public static SimulatedDataChannel Linked(ushort id, string label, Action<SimulatedDataChannel> onClosed, IChannelFarEnd far) =>
        new(id, label, onClosed) { _far = far };

    public ushort Id { get; }
    public string Label { get; }
    public string Protocol => "";
    public bool Ordered => true;
    public DataChannelState State => (DataChannelState)Volatile.Read(ref _state);
    public int MaxMessageSize => MessageSizeLimit;
    public long BufferedAmount => 0;
    public Task Completion => _completion.Task;

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (State != DataChannelState.Open) throw new PeerConnectionException("The data channel is closed");
        if (data.Length > MaxMessageSize) throw new ArgumentException($"A message of {data.Length} bytes exceeds {MaxMessageSize}");
        await SendAsync(new DataChannelMessage(data.ToArray(), IsText: false), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SendAsync(string text, CancellationToken cancellationToken = default)
    {
        if (State != DataChannelState.Open) throw new PeerConnectionException("The data channel is closed");
        await SendAsync(new DataChannelMessage(Encoding.UTF8.GetBytes(text), IsText: true), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SendAsync(DataChannelMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _far.DeliverAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw e.InnerException as IOException ?? (Exception)new PeerConnectionException("The data channel is closed", e);
        }
    }

    public async ValueTask<DataChannelMessage?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inbox.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e) when (e.InnerException is null)
        {
            return null;
        }
        catch (ChannelClosedException e)
        {
            throw e.InnerException!;
        }
    }

    public Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (End(null)) _far.End(null);
        return Task.CompletedTask;
    }

    /// <summary>Fails both ends: readers see <paramref name="error"/> (once they have read what had arrived), writers too.</summary>
    public void Cut(IOException error)
    {
        End(error);
        _far.End(error);
    }

    // As the far end of another end: its messages arrive here, and its close or cut ends this end alone.
    ValueTask IChannelFarEnd.DeliverAsync(DataChannelMessage message, CancellationToken cancellationToken) =>
        _inbox.Writer.WriteAsync(message, cancellationToken);

    void IChannelFarEnd.End(IOException? error) => End(error);

    /// <summary>Ends this end; false when it had ended already.</summary>
    private bool End(IOException? error)
    {
        if (Interlocked.Exchange(ref _state, (int)DataChannelState.Closed) == (int)DataChannelState.Closed) return false;
        _inbox.Writer.TryComplete(error);
        _completion.TrySetResult();
        _onClosed(this);
        return true;
    }

    public Stream AsStream() => new SimulatedChannelStream(this);

    public Flow<ByteString, ByteString, NotUsed> AsFlow()
    {
        var sink = Flow.Create<ByteString>()
            .SelectAsync(1, async chunk =>
            {
                for (var offset = 0; offset < chunk.Count; offset += MaxMessageSize)
                    await SendAsync(chunk.Slice(offset, Math.Min(MaxMessageSize, chunk.Count - offset)).ToArray()).ConfigureAwait(false);
                return NotUsed.Instance;
            })
            .To(Sink.OnComplete<NotUsed>(() => CloseAsync(), _ => CloseAsync()));
        var source = Source.UnfoldAsync(NotUsed.Instance, async _ =>
            await ReceiveAsync().ConfigureAwait(false) is { } message
                ? Option<(NotUsed, ByteString)>.Create((NotUsed.Instance, ByteString.FromBytes(message.Data.ToArray())))
                : Option<(NotUsed, ByteString)>.None);
        return Flow.FromSinkAndSource(sink, source);
    }
}
