using System.Threading.Channels;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Sctp;

namespace PxpActors.WebRtc.DataChannels;

/// <summary>
/// The data-channel layer over one SCTP association (RFC 8831, DCEP RFC 8832): opens channels in-band
/// (DATA_CHANNEL_OPEN / ACK) or negotiated, picks stream ids by DTLS role (client even, server odd),
/// refuses OPENs of the wrong parity or on a busy id, routes messages by PPID, and turns stream resets
/// into channel closes. One dispatch loop reads the association's events; a channel whose reader falls
/// behind pauses it, which closes the SCTP window toward the peer (bounded memory).
/// </summary>
public sealed class DataChannelEndpoint : IAsyncDisposable
{
    private readonly DtlsRole _role;
    private readonly DataChannelEndpointOptions _options;
    private readonly bool _ownsTransport;
    private readonly object _gate = new();
    private readonly Dictionary<ushort, DataChannel> _channels = [];
    private readonly Channel<DataChannel> _incoming;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _dispatch;
    private long _protocolViolations;
    private int _disposed;
    private string? _lastProtocolViolation;

    /// <param name="transport">A connected (or connecting) SCTP transport.</param>
    /// <param name="role">Our DTLS role: the client opens even stream ids, the server odd ones (RFC 8832 6).</param>
    /// <param name="options">Limits of the endpoint; the defaults when null.</param>
    /// <param name="ownsTransport">Dispose the transport with the endpoint.</param>
    public DataChannelEndpoint(SctpTransport transport, DtlsRole role, DataChannelEndpointOptions? options = null, bool ownsTransport = true)
    {
        Transport = transport;
        _role = role;
        _options = options ?? new DataChannelEndpointOptions();
        _ownsTransport = ownsTransport;
        _incoming = Channel.CreateBounded<DataChannel>(new BoundedChannelOptions(_options.MaxPendingIncomingChannels)
        {
            FullMode = BoundedChannelFullMode.Wait, SingleWriter = true,
        });
        _dispatch = Task.Run(DispatchLoopAsync);
    }

    /// <summary>The SCTP association the channels run on.</summary>
    public SctpTransport Transport { get; }

    /// <summary>Completes when the association has closed and every channel with it.</summary>
    public Task Completion => _dispatch;

    /// <summary>Peer misbehaviour that was refused (wrong parity, busy id, malformed DCEP, data without a channel).</summary>
    public long ProtocolViolations => Interlocked.Read(ref _protocolViolations);

    /// <summary>What the last refused misbehaviour was, for logs and tests; null if none.</summary>
    public string? LastProtocolViolation
    {
        get { lock (_gate) return _lastProtocolViolation; }
    }

    /// <summary>Channels currently known (open or closing).</summary>
    public IReadOnlyList<DataChannel> Channels
    {
        get { lock (_gate) return _channels.Values.ToList(); }
    }

    /// <summary>
    /// Creates a channel. In-band: an id of our parity is chosen (never one whose reset is pending) and
    /// DATA_CHANNEL_OPEN is sent; the channel is usable at once. Negotiated: the given id, no DCEP.
    /// </summary>
    public async ValueTask<DataChannel> CreateDataChannelAsync(string label, DataChannelOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DataChannelOptions();
        options.Validate();
        DataChannel channel;
        lock (_gate)
        {
            if (_dispatch.IsCompleted)
                throw new SctpAssociationClosedException("The SCTP association of this endpoint is closed.");
            var id = options.Id ?? AllocateId();
            if (!options.Negotiated && id % 2 != OurParity)
                throw new ArgumentException($"In-band channel id {id} has the wrong parity for the DTLS {_role} (RFC 8832 6).", nameof(options));
            if (_channels.ContainsKey(id) || Transport.IsStreamResetPending(id))
                throw new InvalidOperationException($"Stream id {id} is in use or its reset is still pending.");
            channel = new DataChannel(this, id, label, options, awaitingAck: !options.Negotiated, _options.ReceiveQueueCapacity, _stop.Token);
            _channels[id] = channel;
        }
        if (!options.Negotiated)
        {
            var open = new DataChannelOpenMessage(ChannelTypeOf(options), options.Priority, ReliabilityParameterOf(options), label, options.Protocol);
            await Transport.SendAsync(channel.Id, PayloadProtocolIdentifier.Dcep, open.ToArray(), SctpSendOptions.Reliable, cancellationToken).ConfigureAwait(false);
        }
        return channel;
    }

    /// <summary>The next channel the peer opened in-band; throws <see cref="SctpAssociationClosedException"/> once the association is closed.</summary>
    public async ValueTask<DataChannel> AcceptDataChannelAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _incoming.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw new SctpAssociationClosedException("The SCTP association of this endpoint is closed.");
        }
    }

    /// <summary>Gracefully shuts the association down (channels close with it), then releases everything.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        await Transport.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        await _dispatch.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes every channel and, when it owns it, the transport.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _dispatch.ConfigureAwait(false);
        if (_ownsTransport)
            await Transport.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    internal void CloseStream(ushort id)
    {
        try
        {
            Transport.ResetStreams([id]);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
        {
            // No live association to reset on: the channel is simply closed.
            Closed(id);
        }
    }

    private int OurParity => _role == DtlsRole.Client ? 0 : 1;

    private ushort AllocateId()
    {
        var limit = Transport.OutboundStreams is 0 ? 65535 : Transport.OutboundStreams;
        for (var id = OurParity; id < limit; id += 2)
            if (!_channels.ContainsKey((ushort)id) && !Transport.IsStreamResetPending((ushort)id))
                return (ushort)id;
        throw new InvalidOperationException($"No free stream id of our parity among {limit} streams.");
    }

    private async Task DispatchLoopAsync()
    {
        try
        {
            while (true)
            {
                SctpEvent e;
                try
                {
                    e = await Transport.ReadEventAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SctpAssociationClosedException or OperationCanceledException)
                {
                    return;
                }
                switch (e)
                {
                    case SctpEvent.MessageReceived message:
                        await OnMessageAsync(message).ConfigureAwait(false);
                        break;
                    case SctpEvent.IncomingStreamsReset reset:
                        foreach (var id in reset.Streams)
                            Find(id)?.OnRemoteClosing();
                        break;
                    case SctpEvent.StreamsClosed closed:
                        foreach (var id in closed.Streams)
                            Closed(id);
                        break;
                    case SctpEvent.OutgoingStreamsReset { Succeeded: false } refused:
                        foreach (var id in refused.Streams)
                            Closed(id);
                        break;
                    case SctpEvent.Closed:
                        return;
                }
            }
        }
        finally
        {
            List<DataChannel> all;
            lock (_gate)
            {
                all = _channels.Values.ToList();
                _channels.Clear();
            }
            foreach (var channel in all)
                channel.OnClosed();
            _incoming.Writer.TryComplete();
        }
    }

    private async ValueTask OnMessageAsync(SctpEvent.MessageReceived message)
    {
        switch (message.PayloadProtocolId)
        {
            case PayloadProtocolIdentifier.Dcep:
                await OnDcepAsync(message).ConfigureAwait(false);
                break;
            case PayloadProtocolIdentifier.String or PayloadProtocolIdentifier.Binary
                or PayloadProtocolIdentifier.StringEmpty or PayloadProtocolIdentifier.BinaryEmpty:
                if (Find(message.StreamId) is not { } channel)
                {
                    Violation($"message on stream {message.StreamId}, which has no channel");
                    break;
                }
                var empty = message.PayloadProtocolId is PayloadProtocolIdentifier.StringEmpty or PayloadProtocolIdentifier.BinaryEmpty;
                var text = message.PayloadProtocolId is PayloadProtocolIdentifier.String or PayloadProtocolIdentifier.StringEmpty;
                await channel.DeliverAsync(new DataChannelMessage(empty ? ReadOnlyMemory<byte>.Empty : message.Data, text)).ConfigureAwait(false);
                break;
            default:
                Violation($"unsupported payload protocol id {message.PayloadProtocolId} on stream {message.StreamId}");
                break;
        }
    }

    private async ValueTask OnDcepAsync(SctpEvent.MessageReceived message)
    {
        DcepMessage dcep;
        try
        {
            dcep = DcepMessage.Parse(message.Data.Span);
        }
        catch (DcepProtocolException e)
        {
            Violation($"stream {message.StreamId}: {e.Message}");
            return;
        }
        switch (dcep)
        {
            case DataChannelAckMessage:
                Find(message.StreamId)?.OnAck();
                break;
            case DataChannelOpenMessage open:
                await OnOpenAsync(message.StreamId, open).ConfigureAwait(false);
                break;
        }
    }

    private async ValueTask OnOpenAsync(ushort id, DataChannelOpenMessage open)
    {
        DataChannel channel;
        lock (_gate)
        {
            if (id % 2 == OurParity)
            {
                // The opener's parity comes from its DTLS role (RFC 8832 6); ours would collide with our own channels.
                ViolationLocked($"DATA_CHANNEL_OPEN on stream {id} uses the DTLS {_role}'s parity; refused");
                RefuseLocked(id);
                return;
            }
            if (_channels.ContainsKey(id) || Transport.IsStreamResetPending(id))
            {
                ViolationLocked($"DATA_CHANNEL_OPEN on stream {id}, which is in use or still closing; ignored");
                return;
            }
            var options = new DataChannelOptions
            {
                Ordered = open.Ordered,
                MaxRetransmits = open.ChannelType is DataChannelType.PartialReliableRexmit or DataChannelType.PartialReliableRexmitUnordered
                    ? (int)Math.Min(open.ReliabilityParameter, int.MaxValue) : null,
                MaxPacketLifeTime = open.ChannelType is DataChannelType.PartialReliableTimed or DataChannelType.PartialReliableTimedUnordered
                    ? TimeSpan.FromMilliseconds(open.ReliabilityParameter) : null,
                Protocol = open.Protocol,
                Priority = open.Priority,
            };
            channel = new DataChannel(this, id, open.Label, options, awaitingAck: false, _options.ReceiveQueueCapacity, _stop.Token);
            _channels[id] = channel;
        }
        try
        {
            await Transport.SendAsync(id, PayloadProtocolIdentifier.Dcep, new DataChannelAckMessage().ToArray(), SctpSendOptions.Reliable, _stop.Token)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is SctpAssociationClosedException or OperationCanceledException)
        {
            return;
        }
        if (!_incoming.Writer.TryWrite(channel))
        {
            Violation($"too many unaccepted channels; refused stream {id}");
            _ = channel.CloseAsync();
        }
    }

    private DataChannel? Find(ushort id)
    {
        lock (_gate)
            return _channels.GetValueOrDefault(id);
    }

    private void Closed(ushort id)
    {
        DataChannel? channel;
        lock (_gate)
            _channels.Remove(id, out channel);
        channel?.OnClosed();
    }

    private void RefuseLocked(ushort id)
    {
        try
        {
            Transport.ResetStreams([id]);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
        {
            // Nothing to reset on; the peer's channel dies with the association.
        }
    }

    private void Violation(string what)
    {
        lock (_gate)
            ViolationLocked(what);
    }

    private void ViolationLocked(string what)
    {
        _lastProtocolViolation = what;
        Interlocked.Increment(ref _protocolViolations);
    }

    private static DataChannelType ChannelTypeOf(DataChannelOptions options)
    {
        var unordered = options.Ordered ? 0 : 0x80;
        var reliability = options.MaxRetransmits is not null ? 0x01 : options.MaxPacketLifeTime is not null ? 0x02 : 0x00;
        return (DataChannelType)(unordered | reliability);
    }

    private static uint ReliabilityParameterOf(DataChannelOptions options) =>
        options.MaxRetransmits is { } count ? (uint)count
        : options.MaxPacketLifeTime is { } life ? (uint)life.TotalMilliseconds
        : 0;
}
