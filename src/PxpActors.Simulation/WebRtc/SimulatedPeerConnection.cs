using System.Threading.Channels;
using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.Simulation.WebRtc;

/// <summary>
/// A peer connection of <see cref="SimulatedWebRtc"/>: its offer and answer are real simple-peer signals whose SDP names the
/// simulated connection (<see cref="SimulatedDescription"/>), so they travel the relayed session as the real ones do. Once
/// both are set the pair comes up: in memory when both sides are in this process' network, over a cross-system link when
/// the offer came from another ActorSystem (<see cref="SimulatedWebRtc.CrossSystem"/>). No candidates are trickled (remote
/// ones are accepted and ignored).
/// </summary>
internal sealed class SimulatedPeerConnection : IWebRtcPeerConnection
{
    private readonly SimulatedWebRtc _network;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<IWebRtcDataChannel> _accepts = Channel.CreateUnbounded<IWebRtcDataChannel>();
    private readonly List<SimulatedDataChannel> _channels = [];
    private readonly object _gate = new();
    private IChannelCarrier? _carrier;
    private SimulatedDescription? _remoteOffer;
    private string? _id;
    private int _state; // PeerConnectionState
    private ushort _nextChannelId;

    public SimulatedPeerConnection(SimulatedWebRtc network, string node, bool initiator)
    {
        _network = network;
        Node = node;
        Initiator = initiator;
        _nextChannelId = initiator ? (ushort)0 : (ushort)1;
        network.Created(this);
    }

    public string Node { get; }
    public bool Initiator { get; }
    public PeerConnectionState State => (PeerConnectionState)Volatile.Read(ref _state);
    public Task Connected => _connected.Task;
    public Task Closed => _closed.Task;

    public event Action<Signal>? LocalSignal;
    public event Action<PeerConnectionState>? StateChanged;
    public event Action<IWebRtcDataChannel>? DataChannelOpened;
    public event Action<IWebRtcDataChannel>? DataChannelClosed;

    public Task<SessionDescriptionSignal> CreateOfferAsync(CancellationToken cancellationToken = default)
    {
        if (!Initiator) throw new PeerConnectionException("Only the initiator makes the offer");
        _id = Guid.NewGuid().ToString("N");
        _network.Offered(_id, this);
        var offer = new SimulatedDescription(_id, Node, _network.CrossSystem?.EndpointPath);
        return Task.FromResult(Raise(new SessionDescriptionSignal(SessionDescriptionType.Offer, offer.ToSdp())));
    }

    public Task<SessionDescriptionSignal> CreateAnswerAsync(CancellationToken cancellationToken = default)
    {
        if (Initiator || _id is null) throw new PeerConnectionException("An answer needs the remote offer first");
        // An offer from another system: this side dials the link the connection runs over.
        if (_remoteOffer is { } offer) _ = _network.ConnectAcrossAsync(this, offer);
        else _network.Answered(_id, this);
        return Task.FromResult(Raise(new SessionDescriptionSignal(SessionDescriptionType.Answer, new SimulatedDescription(_id, Node, null).ToSdp())));
    }

    public Task SetRemoteDescriptionAsync(SessionDescriptionSignal description, CancellationToken cancellationToken = default)
    {
        var remote = SimulatedDescription.Parse(description.Sdp);
        if (description.Type == SessionDescriptionType.Offer)
        {
            if (Initiator) throw new PeerConnectionException("The initiator was sent an offer");
            if (_network.FindOffer(remote.Id) is null)
            {
                if (remote.Endpoint is null || _network.CrossSystem is null)
                    throw new PeerConnectionException($"No simulated connection offered as {remote.Id}");
                _remoteOffer = remote;
            }
            _id = remote.Id;
            StartConnecting();
            return Task.CompletedTask;
        }
        if (!Initiator || remote.Id != _id) throw new PeerConnectionException("An answer to an offer this connection did not make");
        // The other system's link may have come before the answer did: a connection that is up stays up.
        StartConnecting();
        if (_network.FindAnswer(remote.Id) is { } responder) _ = _network.ConnectAsync(this, responder);
        // Answered in another system, whose side dials the link: the connection comes up when it arrives.
        else if (_network.CrossSystem is null) throw new PeerConnectionException($"No simulated connection answered {remote.Id}");
        return Task.CompletedTask;
    }

    public Task AddRemoteCandidateAsync(IceCandidateInit candidate, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task SignalAsync(Signal signal, CancellationToken cancellationToken = default) =>
        SignalDispatch.ApplyAsync(this, signal, cancellationToken);

    public async Task<IWebRtcDataChannel> CreateDataChannelAsync(string label, DataChannelOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        await Connected.WaitAsync(cancellationToken).ConfigureAwait(false);
        IChannelCarrier carrier;
        ushort id;
        lock (_gate)
        {
            if (State != PeerConnectionState.Connected) throw new PeerConnectionException("The connection is closed");
            carrier = _carrier!;
            id = options?.Id ?? _nextChannelId;
            _nextChannelId += 2;
        }
        var local = await carrier.OpenAsync(id, label).ConfigureAwait(false);
        lock (_gate)
        {
            if (State != PeerConnectionState.Connected)
            {
                _ = local.CloseAsync();
                throw new PeerConnectionException("The connection is closed");
            }
            _channels.Add(local);
        }
        DataChannelOpened?.Invoke(local);
        return local;
    }

    public async Task<IWebRtcDataChannel> AcceptDataChannelAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _accepts.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException e)
        {
            throw e.InnerException as PeerConnectionException ?? new PeerConnectionException("The connection is closed", e);
        }
    }

    public Task CloseAsync()
    {
        List<SimulatedDataChannel> channels;
        IChannelCarrier? carrier;
        lock (_gate)
        {
            if (State == PeerConnectionState.Closed) return Closed;
            SetState(PeerConnectionState.Closed);
            channels = [.. _channels];
            _channels.Clear();
            carrier = _carrier;
        }
        _connected.TrySetException(new PeerConnectionException("The connection was closed before it connected"));
        _ = _connected.Task.Exception; // observed: nobody may be waiting
        _accepts.Writer.TryComplete(new PeerConnectionException("The connection is closed"));
        foreach (var channel in channels) _ = channel.CloseAsync();
        carrier?.Close();
        _network.Closed(this, _id);
        _closed.TrySetResult();
        return Closed;
    }

    public ValueTask DisposeAsync() => new(CloseAsync());

    /// <summary>Comes up, its channels carried by <paramref name="carrier"/>; false when it was closed or failed meanwhile.</summary>
    internal bool SetConnected(IChannelCarrier carrier)
    {
        lock (_gate)
        {
            if (State is PeerConnectionState.Closed or PeerConnectionState.Failed) return false;
            _carrier = carrier;
            SetState(PeerConnectionState.Connected);
        }
        _connected.TrySetResult();
        return true;
    }

    /// <summary>The other side went away (its connection closed, or the link failed): no channel opens any more.</summary>
    internal void Lost(PeerConnectionException reason, bool failed)
    {
        lock (_gate)
        {
            if (State is PeerConnectionState.Closed or PeerConnectionState.Failed) return;
            SetState(failed ? PeerConnectionState.Failed : PeerConnectionState.Disconnected);
        }
        _accepts.Writer.TryComplete(reason);
    }

    internal void Fail(PeerConnectionException error)
    {
        lock (_gate)
        {
            if (State is PeerConnectionState.Closed or PeerConnectionState.Failed) return;
            SetState(PeerConnectionState.Failed);
        }
        _connected.TrySetException(error);
        _ = _connected.Task.Exception;
        _accepts.Writer.TryComplete(error);
    }

    /// <summary>A channel the other side opened.</summary>
    internal void Deliver(SimulatedDataChannel channel)
    {
        lock (_gate)
        {
            if (State != PeerConnectionState.Connected)
            {
                _ = channel.CloseAsync();
                return;
            }
            _channels.Add(channel);
        }
        if (!_accepts.Writer.TryWrite(channel)) _ = channel.CloseAsync();
        else DataChannelOpened?.Invoke(channel);
    }

    internal void OnChannelClosed(SimulatedDataChannel channel)
    {
        _network.ChannelClosed(channel);
        lock (_gate) _channels.Remove(channel);
        DataChannelClosed?.Invoke(channel);
    }

    private void StartConnecting()
    {
        lock (_gate)
        {
            if (State == PeerConnectionState.New) SetState(PeerConnectionState.Connecting);
        }
    }

    private SessionDescriptionSignal Raise(SessionDescriptionSignal signal)
    {
        LocalSignal?.Invoke(signal);
        return signal;
    }

    private void SetState(PeerConnectionState state)
    {
        Volatile.Write(ref _state, (int)state);
        StateChanged?.Invoke(state);
    }
}
