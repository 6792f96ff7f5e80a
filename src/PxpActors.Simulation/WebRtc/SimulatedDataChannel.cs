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
/// One end of an in-memory data channel: messages go straight into the other end's inbox (bounded, so a reader that does
/// not read holds the writer back, as SCTP's window would). Closing either end closes both; a cut fails both.
/// </summary>
internal sealed class SimulatedDataChannel : IWebRtcDataChannel
{
    private const int InboxMessages = 64;
    private readonly Channel<DataChannelMessage> _inbox =
        Channel.CreateBounded<DataChannelMessage>(new BoundedChannelOptions(InboxMessages) { SingleReader = true });
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<SimulatedDataChannel> _onClosed;
    private SimulatedDataChannel _peer = null!;
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
        local._peer = remote;
        remote._peer = local;
        return (local, remote);
    }

    public ushort Id { get; }
    public string Label { get; }
    public string Protocol => "";
    public bool Ordered => true;
    public DataChannelState State => (DataChannelState)Volatile.Read(ref _state);
    public int MaxMessageSize => 256 * 1024;
    public long BufferedAmount => 0;
    public Task Completion => _completion.Task;

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (State != DataChannelState.Open) throw new PeerConnectionException("The data channel is closed");
        if (data.Length > MaxMessageSize) throw new ArgumentException($"A message of {data.Length} bytes exceeds {MaxMessageSize}");
        try
        {
            await _peer._inbox.Writer.WriteAsync(new DataChannelMessage(data.ToArray(), IsText: false), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw e.InnerException as IOException ?? (Exception)new PeerConnectionException("The data channel is closed", e);
        }
    }

    public async ValueTask SendAsync(string text, CancellationToken cancellationToken = default)
    {
        if (State != DataChannelState.Open) throw new PeerConnectionException("The data channel is closed");
        await _peer._inbox.Writer.WriteAsync(new DataChannelMessage(Encoding.UTF8.GetBytes(text), IsText: true), cancellationToken)
            .ConfigureAwait(false);
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
        End(null);
        _peer.End(null);
        return Task.CompletedTask;
    }

    /// <summary>Fails both ends: readers see <paramref name="error"/> (once they have read what had arrived), writers too.</summary>
    public void Cut(IOException error)
    {
        End(error);
        _peer.End(error);
    }

    private void End(IOException? error)
    {
        if (Interlocked.Exchange(ref _state, (int)DataChannelState.Closed) == (int)DataChannelState.Closed) return;
        _inbox.Writer.TryComplete(error);
        _completion.TrySetResult();
        _onClosed(this);
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
