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
    private PreparedPeerConnection? _prepared;
    private IWebRtcPeerConnection? _connection;
    private Task _signalling = Task.CompletedTask;
    private int _remoteSignals;
    private bool _done;
    private bool _handedOver;

    public SignalingRelayActor(bool initiator, IActorRef session, IWebRtcPeerConnectionFactory factory,
        PeerConnectionOptions options, TimeSpan timeout, IActorRef? requester, PreparedPeerConnection? prepared)
    {
        _prepared = prepared;
        _initiator = initiator;
        _session = session;
        _factory = factory;
        _options = options with { Initiator = initiator, IceConnectTimeout = timeout };
        _timeout = timeout;
        _requester = requester;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    // prepared: a connection started ahead in this role (getNewPeer's offer, a responder's standby), or null to make one.
    public static Props Props(bool initiator, IActorRef session, IWebRtcPeerConnectionFactory factory,
        PeerConnectionOptions options, TimeSpan timeout, IActorRef? requester, PreparedPeerConnection? prepared) =>
        Akka.Actor.Props.Create(() => new SignalingRelayActor(initiator, session, factory, options, timeout, requester, prepared));

    protected override void PreStart()
    {
        Context.Watch(_session);
        Timers.StartSingleTimer(TimeoutTimer, UpgradeTimedOut.Instance, _timeout);
        var self = Self;
        Action<Signal> forward = signal => self.Tell(new LocalSignalRaised(signal));
        if (_prepared is null || !_prepared.TryClaim(forward))
        {
            try
            {
                _prepared = PreparedPeerConnection.Start(_factory, _options);
            }
            catch (Exception e)
            {
                _prepared = null;
                Fail(new PeerConnectionException($"The WebRTC peer connection could not be created: {e.Message}", e));
                return;
            }
            _prepared.TryClaim(forward);
        }
        _connection = _prepared.Connection;
        var channel = _initiator ? OpenChannelAsync(_connection) : _connection.AcceptDataChannelAsync();
        channel.PipeTo(self, success: c => new ChannelOpened(c), failure: e => new Failed(e));
        // The offer goes out on the relayed session as soon as it is made (a prepared one is made already), right behind our
        // hello: the peer's hello may still be on its way.
        _prepared.Ready.PipeTo(self, success: () => Prepared.Instance, failure: e => new Failed(e));
    }

    protected override void PostStop()
    {
        _prepared?.Detach();
        // Not handed over: nothing else will ever close it.
        if (!_handedOver) _ = _prepared?.CloseAsync();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case LocalSignalRaised raised: Send(raised.Signal); break;
            case RemoteSignal remote: OnRemoteSignal(remote); break;
            case ChannelOpened opened: OnChannelOpened(opened.Channel); break;
            case Prepared: break;
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

    private sealed record Prepared
    {
        public static Prepared Instance { get; } = new();
    }

    private sealed record UpgradeTimedOut
    {
        public static UpgradeTimedOut Instance { get; } = new();
    }
}
