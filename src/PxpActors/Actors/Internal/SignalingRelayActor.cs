using System.Security.Cryptography;
using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using PxpActors.Transports.WebRtc;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.Actors.Internal;

/// <summary>
/// One WebRTC upgrade of a relayed session (PROTOCOL.md section 5), as the initiator (our getNewPeer) or the responder
/// (a peer's offer). It feeds the peer's <c>upgrade</c> signals to the peer connection and sends the connection's own
/// signals back on the relayed session (never a reply, never waiting for one). It ends in exactly one outcome: the data
/// channel is open and handed to the exchange as a new session's transport (<see cref="UpgradeOpened"/>), or the upgrade
/// failed (<see cref="UpgradeFailed"/>) and the peer connection is released.
/// </summary>
internal sealed class SignalingRelayActor : UntypedActor, IWithTimers
{
    private const string TimeoutTimer = "upgrade-timeout";
    // The reference's simple-peer labels its channel with 20 random bytes in hex; the label carries no meaning.
    private const int LabelBytes = 20;
    // A whole upgrade is an offer or answer and a few dozen candidates: more is a peer flooding us.
    private const int MaxRemoteSignals = 256;

    private readonly bool _initiator;
    private readonly IActorRef _session;
    private readonly IWebRtcPeerConnectionFactory _factory;
    private readonly PeerConnectionOptions _options;
    private readonly TimeSpan _timeout;
    private readonly IActorRef? _requester;
    private readonly List<Signal> _unsent = [];
    private IWebRtcPeerConnection? _connection;
    private Action<Signal>? _onLocalSignal;
    private Task _signalling = Task.CompletedTask;
    private bool _sessionReady;
    private int _remoteSignals;
    private bool _done;
    private bool _handedOver;

    public SignalingRelayActor(bool initiator, IActorRef session, bool sessionReady, IWebRtcPeerConnectionFactory factory,
        PeerConnectionOptions options, TimeSpan timeout, IActorRef? requester)
    {
        _initiator = initiator;
        _session = session;
        _sessionReady = sessionReady;
        _factory = factory;
        _options = options with { Initiator = initiator, IceConnectTimeout = timeout };
        _timeout = timeout;
        _requester = requester;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(bool initiator, IActorRef session, bool sessionReady, IWebRtcPeerConnectionFactory factory,
        PeerConnectionOptions options, TimeSpan timeout, IActorRef? requester) =>
        Akka.Actor.Props.Create(() => new SignalingRelayActor(initiator, session, sessionReady, factory, options, timeout, requester));

    protected override void PreStart()
    {
        Context.Watch(_session);
        Timers.StartSingleTimer(TimeoutTimer, UpgradeTimedOut.Instance, _timeout);
        try
        {
            _connection = _factory.Create(_options);
        }
        catch (Exception e)
        {
            Fail(new PeerConnectionException($"The WebRTC peer connection could not be created: {e.Message}", e));
            return;
        }
        var self = Self;
        _onLocalSignal = signal => self.Tell(new LocalSignalRaised(signal));
        _connection.LocalSignal += _onLocalSignal;
        var channel = _initiator ? OpenChannelAsync(_connection) : _connection.AcceptDataChannelAsync();
        channel.PipeTo(self, success: c => new ChannelOpened(c), failure: e => new Failed(e));
        // The offer is made while the relayed session's handshake runs: it goes out as soon as that ends.
        if (_initiator) _connection.CreateOfferAsync().PipeTo(self, success: _ => Offered.Instance, failure: e => new Failed(e));
    }

    protected override void PostStop()
    {
        if (_onLocalSignal is not null) _connection!.LocalSignal -= _onLocalSignal;
        // Not handed over: nothing else will ever close it.
        if (!_handedOver) _ = _connection?.DisposeAsync().AsTask();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case LocalSignalRaised raised:
                if (_sessionReady) Send(raised.Signal);
                else _unsent.Add(raised.Signal);
                break;
            case RelayedSessionReady:
                _sessionReady = true;
                foreach (var signal in _unsent) Send(signal);
                _unsent.Clear();
                break;
            case RemoteSignal remote: OnRemoteSignal(remote); break;
            case ChannelOpened opened: OnChannelOpened(opened.Channel); break;
            case Offered: break;
            case Failed failed: Fail(Describe(failed.Error)); break;
            case UpgradeTimedOut:
                Fail(new PxpRequestException($"The WebRTC upgrade did not finish within {_timeout.TotalSeconds:0.###} s"));
                break;
            case Terminated terminated when terminated.ActorRef.Equals(_session):
                Fail(new PxpRequestException("The relayed session closed before the WebRTC upgrade finished"));
                break;
            default: Unhandled(message); break;
        }
    }

    private void OnRemoteSignal(RemoteSignal remote)
    {
        if (_done) return;
        if (++_remoteSignals > MaxRemoteSignals)
        {
            Fail(new Protocol.PxpProtocolException($"Peer sent more than {MaxRemoteSignals} upgrade signals"));
            return;
        }
        Signal signal;
        try
        {
            signal = Signal.Parse(remote.Signal);
        }
        catch (SignalFormatException e)
        {
            Fail(new Protocol.PxpProtocolException($"Peer sent an upgrade signal that does not parse: {e.Message}"));
            return;
        }
        if (_initiator && signal is SessionDescriptionSignal { Type: SessionDescriptionType.Offer })
        {
            Fail(new Protocol.PxpProtocolException("Peer sent an offer to the side that made the offer"));
            return;
        }
        // In order: an answer must be set before the candidates that follow it are added.
        var connection = _connection!;
        var self = Self;
        _signalling = _signalling.ContinueWith(_ => connection.SignalAsync(signal), TaskScheduler.Default).Unwrap();
        _signalling.ContinueWith(t => self.Tell(new Failed(t.Exception!.GetBaseException())),
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    private void OnChannelOpened(IWebRtcDataChannel channel)
    {
        if (_done)
        {
            _ = channel.CloseAsync();
            return;
        }
        _done = true;
        _handedOver = true;
        Timers.Cancel(TimeoutTimer);
        Context.Parent.Tell(new UpgradeOpened(new DataChannelTransport(channel, _connection!), Incoming: !_initiator, _requester));
        Context.Stop(Self);
    }

    private void Fail(Exception error)
    {
        if (_done) return;
        _done = true;
        Context.GetLogger().Info("PXP WebRTC upgrade ({0}) failed: {1}", _initiator ? "initiator" : "responder", error.Message);
        _requester?.Tell(new Status.Failure(error));
        Context.Parent.Tell(new UpgradeFailed(error));
        Context.Stop(Self);
    }

    private void Send(Signal signal)
    {
        using var json = JsonDocument.Parse(signal.ToUtf8Json());
        _session.Tell(new SendUpgradeSignal(json.RootElement.Clone()));
    }

    private static Exception Describe(Exception error) => error switch
    {
        AggregateException aggregate => Describe(aggregate.GetBaseException()),
        PeerConnectionException or PxpRequestException or Protocol.PxpProtocolException => error,
        _ => new PeerConnectionException($"The WebRTC upgrade failed: {error.Message}", error),
    };

    private static async Task<IWebRtcDataChannel> OpenChannelAsync(IWebRtcPeerConnection connection) =>
        await connection.CreateDataChannelAsync(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(LabelBytes)))
            .ConfigureAwait(false);

    private sealed record LocalSignalRaised(Signal Signal);

    private sealed record ChannelOpened(IWebRtcDataChannel Channel);

    private sealed record Failed(Exception Error);

    private sealed record Offered
    {
        public static Offered Instance { get; } = new();
    }

    private sealed record UpgradeTimedOut
    {
        public static UpgradeTimedOut Instance { get; } = new();
    }
}
