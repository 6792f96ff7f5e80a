using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Simulation.WebRtc;

/// <summary>
/// The data channels of a simulated peer connection whose other side is in another ActorSystem, over one cross-system link:
/// each channel's open, messages, close and cut travel as <see cref="ChannelFrame"/>s, in order, through a bounded outbox
/// (a full outbox holds writers back, and the link's stream-ref demand holds the outbox back). When the link ends, the
/// connection is over: every channel ends (failed if the link failed) and this side's direction completes too.
/// </summary>
internal sealed class LinkChannelCarrier : IChannelCarrier
{
    private const int OutboxFrames = 16;
    private readonly Channel<ChannelFrame> _outbox =
        Channel.CreateBounded<ChannelFrame>(new BoundedChannelOptions(OutboxFrames) { SingleReader = true });
    private readonly ConcurrentDictionary<ushort, SimulatedDataChannel> _ends = new();
    private readonly SimulatedPeerConnection _connection;
    private readonly SimulatedWebRtc _network;
    private readonly object _gate = new();
    // Close and abort frames are sent from synchronous calls: the outbox completes only after they are in.
    private Task _controlFrames = Task.CompletedTask;

    public LinkChannelCarrier(SimulatedPeerConnection connection, SimulatedWebRtc network, string remoteNode)
    {
        _connection = connection;
        _network = network;
        RemoteNode = remoteNode;
    }

    public string RemoteNode { get; }

    /// <summary>Runs <paramref name="link"/>: frames from the outbox go out, frames coming in reach the channels.</summary>
    public void Run(Flow<ByteString, ByteString, NotUsed> link, IMaterializer materializer)
    {
        ChannelSource.FromReader(_outbox.Reader)
            .Select(frame => frame.Encode())
            .Via(Framing.SimpleFramingProtocolEncoder(ChannelFrame.MaximumSize))
            .Via(link)
            .Via(Framing.SimpleFramingProtocolDecoder(ChannelFrame.MaximumSize))
            .Select(ChannelFrame.Decode)
            .RunWith(Sink.ForEachAsync<ChannelFrame>(1, ReceiveAsync), materializer)
            .ContinueWith(t => LinkEnded(t.Exception?.GetBaseException()), TaskScheduler.Default);
    }

    public async Task<SimulatedDataChannel> OpenAsync(ushort id, string label)
    {
        var end = Add(id, label);
        try
        {
            await _outbox.Writer.WriteAsync(new ChannelFrame(ChannelFrameKind.Open, id, Encoding.UTF8.GetBytes(label))).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            ((IChannelFarEnd)end).End(null);
            throw new PeerConnectionException("The connection is closed", e);
        }
        return end;
    }

    public void Close()
    {
        Task control;
        lock (_gate) control = _controlFrames;
        control.ContinueWith(_ => _outbox.Writer.TryComplete(), TaskScheduler.Default);
    }

    private SimulatedDataChannel Add(ushort id, string label)
    {
        var end = SimulatedDataChannel.Linked(id, label, _connection.OnChannelClosed, new FarEnd(this, id));
        _ends[id] = end;
        _network.Track(end, _connection.Node, RemoteNode);
        return end;
    }

    private async Task ReceiveAsync(ChannelFrame frame)
    {
        if (frame.Kind == ChannelFrameKind.Open)
        {
            _connection.Deliver(Add(frame.ChannelId, Encoding.UTF8.GetString(frame.Payload.Span)));
            return;
        }
        if (!_ends.TryGetValue(frame.ChannelId, out var end)) return; // closed here meanwhile
        IChannelFarEnd here = end;
        switch (frame.Kind)
        {
            case ChannelFrameKind.Binary or ChannelFrameKind.Text:
                try
                {
                    await here.DeliverAsync(new DataChannelMessage(frame.Payload, frame.Kind == ChannelFrameKind.Text), default).ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    // This end closed while the message was on its way.
                }
                break;
            case ChannelFrameKind.Close:
                _ends.TryRemove(frame.ChannelId, out _);
                here.End(null);
                break;
            case ChannelFrameKind.Abort:
                _ends.TryRemove(frame.ChannelId, out _);
                here.End(new Links.LinkCutException(Encoding.UTF8.GetString(frame.Payload.Span)));
                break;
        }
    }

    private void LinkEnded(Exception? error)
    {
        var io = error is null ? null : new IOException($"The cross-system link of a simulated WebRTC connection failed: {error.Message}", error);
        foreach (var id in _ends.Keys)
            if (_ends.TryRemove(id, out var end)) ((IChannelFarEnd)end).End(io);
        Close();
        _connection.Lost(new PeerConnectionException(error is null
            ? $"{RemoteNode} closed the connection"
            : $"The connection to {RemoteNode} failed: {error.Message}"), failed: error is not null);
    }

    private void SendControl(ChannelFrame frame)
    {
        lock (_gate)
        {
            var previous = _controlFrames;
            _controlFrames = SendAfterAsync(previous, frame);
        }
    }

    private async Task SendAfterAsync(Task previous, ChannelFrame frame)
    {
        await previous.ConfigureAwait(false);
        try
        {
            await _outbox.Writer.WriteAsync(frame).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The link ended: the other side's channels have ended with it.
        }
    }

    /// <summary>The other side's end of one channel, as this side's end sees it: frames on the link.</summary>
    private sealed class FarEnd(LinkChannelCarrier carrier, ushort id) : IChannelFarEnd
    {
        public ValueTask DeliverAsync(DataChannelMessage message, CancellationToken cancellationToken) =>
            carrier._outbox.Writer.WriteAsync(
                new ChannelFrame(message.IsText ? ChannelFrameKind.Text : ChannelFrameKind.Binary, id, message.Data), cancellationToken);

        public void End(IOException? error)
        {
            if (!carrier._ends.TryRemove(id, out _)) return; // ended from the other side, or with the link
            carrier.SendControl(error is null
                ? new ChannelFrame(ChannelFrameKind.Close, id, ReadOnlyMemory<byte>.Empty)
                : new ChannelFrame(ChannelFrameKind.Abort, id, Encoding.UTF8.GetBytes(error.Message)));
        }
    }
}
