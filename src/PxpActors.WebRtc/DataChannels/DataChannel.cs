using System.Text;
using System.Threading.Channels;
using PxpActors.WebRtc.Sctp;

namespace PxpActors.WebRtc.DataChannels;

/// <summary>
/// One WebRTC data channel (RFC 8831) on an SCTP stream: message-oriented sends and receives, a
/// bufferedAmount with a low-water wait for backpressure, and close by stream reset. A PeerConnection
/// exposes it through <see cref="AsStream"/> (one write = one message).
/// </summary>
public sealed class DataChannel
{
    private readonly DataChannelEndpoint _endpoint;
    private readonly Channel<DataChannelMessage> _inbound;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _localClose;
    private volatile bool _awaitingAck;
    private int _state = (int)DataChannelState.Open;

    internal DataChannel(DataChannelEndpoint endpoint, ushort id, string label, DataChannelOptions options, bool awaitingAck, int receiveCapacity,
        CancellationToken endpointStopping)
    {
        _endpoint = endpoint;
        // A delivery blocked on a full queue must end when the channel closes or the endpoint stops.
        _localClose = CancellationTokenSource.CreateLinkedTokenSource(endpointStopping);
        Id = id;
        Label = label;
        Protocol = options.Protocol;
        Ordered = options.Ordered;
        MaxRetransmits = options.MaxRetransmits;
        MaxPacketLifeTime = options.MaxPacketLifeTime;
        Negotiated = options.Negotiated;
        Priority = options.Priority;
        _awaitingAck = awaitingAck;
        _inbound = Channel.CreateBounded<DataChannelMessage>(new BoundedChannelOptions(receiveCapacity)
        {
            SingleReader = false, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The SCTP stream id the channel runs on.</summary>
    public ushort Id { get; }
    /// <summary>The channel's label, from its DATA_CHANNEL_OPEN.</summary>
    public string Label { get; }
    /// <summary>The sub-protocol named in its DATA_CHANNEL_OPEN (often empty).</summary>
    public string Protocol { get; }
    /// <summary>True when messages are delivered in the order sent.</summary>
    public bool Ordered { get; }
    /// <summary>For a partially reliable channel: how often a message is retransmitted at most; null otherwise.</summary>
    public int? MaxRetransmits { get; }
    /// <summary>For a partially reliable channel: how long a message is retransmitted at most; null otherwise.</summary>
    public TimeSpan? MaxPacketLifeTime { get; }
    /// <summary>True when both sides set the channel up out of band (no DCEP).</summary>
    public bool Negotiated { get; }
    /// <summary>The priority from its DATA_CHANNEL_OPEN.</summary>
    public ushort Priority { get; }

    /// <summary>Where the channel is in its life.</summary>
    public DataChannelState State => (DataChannelState)Volatile.Read(ref _state);

    /// <summary>True until the peer's DATA_CHANNEL_ACK arrives for a channel we opened in-band.</summary>
    public bool AwaitingAck => _awaitingAck;

    /// <summary>Largest message this channel can send.</summary>
    public int MaxMessageSize => _endpoint.Transport.Options.SendMessageLimit;

    /// <summary>Bytes sent on this channel and not yet acknowledged by the peer.</summary>
    public long BufferedAmount => _endpoint.Transport.BufferedAmountOf(Id);

    /// <summary>The level <see cref="WaitForBufferedAmountLowAsync"/> waits for (W3C bufferedAmountLowThreshold).</summary>
    public long BufferedAmountLowThreshold { get; set; }

    /// <summary>Completes when the channel is closed (both stream directions reset, or the association ended).</summary>
    public Task Completion => _closed.Task;

    /// <summary>Sends a binary message (PPID 53; 57 for an empty one).</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => data.IsEmpty
        ? SendCoreAsync(PayloadProtocolIdentifier.BinaryEmpty, EmptyPlaceholder, cancellationToken)
        : SendCoreAsync(PayloadProtocolIdentifier.Binary, data, cancellationToken);

    /// <summary>Sends a text message (PPID 51; 56 for an empty one).</summary>
    public ValueTask SendAsync(string text, CancellationToken cancellationToken = default) => text.Length == 0
        ? SendCoreAsync(PayloadProtocolIdentifier.StringEmpty, EmptyPlaceholder, cancellationToken)
        : SendCoreAsync(PayloadProtocolIdentifier.String, Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>The next message, or null once the channel is closed and every received message was read.</summary>
    public async ValueTask<DataChannelMessage?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _inbound.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>Waits until <see cref="BufferedAmount"/> is at or below <see cref="BufferedAmountLowThreshold"/> (or the association closed).</summary>
    public Task WaitForBufferedAmountLowAsync(CancellationToken cancellationToken = default) =>
        _endpoint.Transport.WaitUntilAsync(a => a.BufferedAmountOf(Id) <= BufferedAmountLowThreshold || a.State == SctpAssociationState.Closed, cancellationToken);

    /// <summary>Closes by resetting our outgoing stream after queued messages (RFC 8831 6.7); completes once closed.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.CompareExchange(ref _state, (int)DataChannelState.Closing, (int)DataChannelState.Open) == (int)DataChannelState.Open)
        {
            await _localClose.CancelAsync().ConfigureAwait(false);
            _endpoint.CloseStream(Id);
        }
        await _closed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>This channel as a <see cref="System.IO.Stream"/>: each write is one binary message.</summary>
    public Stream AsStream() => new DataChannelStream(this);

    /// <inheritdoc/>
    public override string ToString() => $"DataChannel({Id}, \"{Label}\", {State})";

    // SCTP cannot carry zero bytes: empty messages travel as one ignored byte (RFC 8831 6.6).
    private static readonly ReadOnlyMemory<byte> EmptyPlaceholder = new byte[] { 0 };

    private async ValueTask SendCoreAsync(uint ppid, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (State != DataChannelState.Open)
            throw new InvalidOperationException($"Data channel {Id} (\"{Label}\") is {State}.");
        // RFC 8832 6: until the ACK arrives, the opener sends ordered so that the OPEN stays ahead of data.
        var options = new SctpSendOptions(Unordered: !Ordered && !_awaitingAck, MaxRetransmits, MaxPacketLifeTime);
        await _endpoint.Transport.SendAsync(Id, ppid, payload, options, cancellationToken).ConfigureAwait(false);
    }

    internal void OnAck() => _awaitingAck = false;

    internal async ValueTask DeliverAsync(DataChannelMessage message)
    {
        try
        {
            await _inbound.Writer.WriteAsync(message, _localClose.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            // Closed locally or by the peer: nobody will read it.
        }
    }

    /// <summary>The peer reset its outgoing stream: no more messages will come; our reset answers it below.</summary>
    internal void OnRemoteClosing()
    {
        Interlocked.CompareExchange(ref _state, (int)DataChannelState.Closing, (int)DataChannelState.Open);
        _inbound.Writer.TryComplete();
    }

    internal void OnClosed()
    {
        Volatile.Write(ref _state, (int)DataChannelState.Closed);
        _inbound.Writer.TryComplete();
        _localClose.Cancel();
        _closed.TrySetResult();
    }
}
