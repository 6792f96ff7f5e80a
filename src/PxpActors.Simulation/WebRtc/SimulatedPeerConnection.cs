using System.Threading.Channels;
using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.Simulation.WebRtc;

/// <summary>
/// A peer connection of <see cref="SimulatedWebRtc"/>: its offer and answer are real simple-peer signals whose SDP names the
/// simulated connection, so they travel the relayed session as the real ones do; once both are set the pair comes up in
/// memory. No candidates are trickled (remote ones are accepted and ignored).
/// </summary>
internal sealed class SimulatedPeerConnection : IWebRtcPeerConnection
{
    private const string IdAttribute = "a=pxp-simulated:";
    private readonly SimulatedWebRtc _network;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<IWebRtcDataChannel> _accepts = Channel.CreateUnbounded<IWebRtcDataChannel>();
    private readonly List<SimulatedDataChannel> _channels = [];
    private readonly object _gate = new();
    private SimulatedPeerConnection? _remote;
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
        return Task.FromResult(Raise(new SessionDescriptionSignal(SessionDescriptionType.Offer, Sdp(_id))));
    }

    public Task<SessionDescriptionSignal> CreateAnswerAsync(CancellationToken cancellationToken = default)
    {
        if (Initiator || _id is null) throw new PeerConnectionException("An answer needs the remote offer first");
        _network.Answered(_id, this);
        return Task.FromResult(Raise(new SessionDescriptionSignal(SessionDescriptionType.Answer, Sdp(_id))));
    }

    public Task SetRemoteDescriptionAsync(SessionDescriptionSignal description, CancellationToken cancellationToken = default)
    {
        var id = ParseId(description.Sdp);
        if (description.Type == SessionDescriptionType.Offer)
        {
            if (Initiator) throw new PeerConnectionException("The initiator was sent an offer");
            if (_network.FindOffer(id) is null) throw new PeerConnectionException($"No simulated connection offered as {id}");
            _id = id;
            SetState(PeerConnectionState.Connecting);
            return Task.CompletedTask;
        }
        if (!Initiator || id != _id) throw new PeerConnectionException("An answer to an offer this connection did not make");
        var responder = _network.FindAnswer(id) ?? throw new PeerConnectionException($"No simulated connection answered {id}");
        SetState(PeerConnectionState.Connecting);
        _ = _network.ConnectAsync(this, responder);
        return Task.CompletedTask;
    }

    public Task AddRemoteCandidateAsync(IceCandidateInit candidate, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task SignalAsync(Signal signal, CancellationToken cancellationToken = default) =>
        SignalDispatch.ApplyAsync(this, signal, cancellationToken);

    public async Task<IWebRtcDataChannel> CreateDataChannelAsync(string label, DataChannelOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        await Connected.WaitAsync(cancellationToken).ConfigureAwait(false);
        SimulatedDataChannel local;
        lock (_gate)
        {
            if (State != PeerConnectionState.Connected) throw new PeerConnectionException("The connection is closed");
            var id = options?.Id ?? _nextChannelId;
            _nextChannelId += 2;
            (local, var remote) = SimulatedDataChannel.Pair(id, label, OnChannelClosed, _remote!.OnChannelClosed);
            _channels.Add(local);
            _network.Track(local, Node, _remote!.Node);
            _remote.Deliver(remote);
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
        lock (_gate)
        {
            if (State == PeerConnectionState.Closed) return Closed;
            SetState(PeerConnectionState.Closed);
            channels = [.. _channels];
            _channels.Clear();
        }
        _connected.TrySetException(new PeerConnectionException("The connection was closed before it connected"));
        _ = _connected.Task.Exception; // observed: nobody may be waiting
        _accepts.Writer.TryComplete(new PeerConnectionException("The connection is closed"));
        foreach (var channel in channels) _ = channel.CloseAsync();
        _network.Closed(this, _id);
        _closed.TrySetResult();
        return Closed;
    }

    public ValueTask DisposeAsync() => new(CloseAsync());

    internal void SetConnected(SimulatedPeerConnection remote)
    {
        lock (_gate)
        {
            if (State is PeerConnectionState.Closed or PeerConnectionState.Failed) return;
            _remote = remote;
            SetState(PeerConnectionState.Connected);
        }
        _connected.TrySetResult();
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

    private void Deliver(SimulatedDataChannel channel)
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

    private void OnChannelClosed(SimulatedDataChannel channel)
    {
        _network.ChannelClosed(channel);
        lock (_gate) _channels.Remove(channel);
        DataChannelClosed?.Invoke(channel);
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

    private static string Sdp(string id) => $"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n{IdAttribute}{id}\r\n";

    private static string ParseId(string sdp)
    {
        var at = sdp.IndexOf(IdAttribute, StringComparison.Ordinal);
        if (at < 0) throw new PeerConnectionException("Not a simulated WebRTC description");
        var start = at + IdAttribute.Length;
        var end = sdp.IndexOf('\r', start);
        return sdp[start..(end < 0 ? sdp.Length : end)];
    }
}
