using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.Actors.Internal;

/// <summary>
/// A peer connection made and started before the upgrade that uses it, so that its sockets, threads and DTLS preparation
/// are off that upgrade's clock: getNewPeer's offer, made while it asks for candidates and opens the relay, or a
/// responder's standby, kept for the next offer. Its local signals are held until a SignalingRelayActor claims it. Exactly
/// one owner ever closes it: the actor that claimed it, or else whoever made it (<see cref="ReleaseUnlessClaimedAsync"/>).
/// </summary>
internal sealed class PreparedPeerConnection
{
    private readonly object _gate = new();
    private readonly List<Signal> _held = [];
    private Action<Signal>? _forward;
    private bool _claimed;
    private bool _released;

    private PreparedPeerConnection(IWebRtcPeerConnection connection)
    {
        Connection = connection;
        connection.LocalSignal += OnLocalSignal;
        // Off the caller's thread (binding sockets and starting threads take milliseconds; the caller may be an actor). The
        // initiator's offer is made at once: it carries the host candidates, known once started.
        Ready = Task.Run(() => connection.Initiator ? connection.CreateOfferAsync() : connection.PrepareAsync());
        Ready.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted); // observed even if never claimed
    }

    public IWebRtcPeerConnection Connection { get; }

    /// <summary>Completes once started (the initiator's offer made); faults as starting did.</summary>
    public Task Ready { get; }

    /// <summary>Makes a connection with <paramref name="options"/> and starts it; throws as the factory does.</summary>
    public static PreparedPeerConnection Start(IWebRtcPeerConnectionFactory factory, PeerConnectionOptions options) =>
        new(factory.Create(options));

    /// <summary>
    /// Takes ownership: the signals held so far, then every later one, go to <paramref name="forward"/>, in order. False when
    /// it was claimed or released already.
    /// </summary>
    public bool TryClaim(Action<Signal> forward)
    {
        lock (_gate)
        {
            if (_claimed || _released) return false;
            _claimed = true;
            foreach (var signal in _held) forward(signal);
            _held.Clear();
            _forward = forward;
            return true;
        }
    }

    /// <summary>The owner is done with it: later signals go nowhere.</summary>
    public void Detach()
    {
        lock (_gate) _forward = static _ => { };
    }

    /// <summary>Closes it unless an actor claimed it (that actor closes it then, with <see cref="CloseAsync"/>).</summary>
    public Task ReleaseUnlessClaimedAsync()
    {
        lock (_gate)
        {
            if (_claimed || _released) return Task.CompletedTask;
            _released = true;
            _held.Clear();
        }
        return CloseAsync();
    }

    /// <summary>
    /// Closes the connection once its start has finished, so the start never runs on a closed connection (our stack refuses
    /// that, but another implementation might register the connection again).
    /// </summary>
    public async Task CloseAsync()
    {
        await Ready.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false); // its failure was reported
        await Connection.CloseAsync().ConfigureAwait(false);
    }

    private void OnLocalSignal(Signal signal)
    {
        lock (_gate)
        {
            if (_forward is not null) _forward(signal);
            else if (!_released) _held.Add(signal);
        }
    }
}
