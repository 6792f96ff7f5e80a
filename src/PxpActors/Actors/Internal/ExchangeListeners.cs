using Akka.Actor;
using Akka.Event;
using PxpActors.Resources;
using PxpActors.Multiplexing;
using PxpActors.Relays;
using PxpActors.Transports;

namespace PxpActors.Actors.Internal;

/// <summary>
/// The listeners of one exchange: each accepted stream becomes a session (told to the exchange without a sender, so its
/// connection goes to the subscribers), and all of them stop before the exchange's sessions close. State of the
/// ExchangeActor alone; the outcomes of their tasks come back to it as the messages below.
/// </summary>
internal sealed class ExchangeListeners(ExchangeSettings settings, NodeResources resources, IActorRef exchange, ILoggingAdapter log)
{
    private readonly List<ITransportListener> _listeners = [];

    /// <summary>The listeners are stopping: the exchange's close finishes once they have.</summary>
    public bool Stopping { get; private set; }

    /// <summary>Binds a listener on <paramref name="address"/>. Reply to <paramref name="requester"/>: <see cref="PxpExchange.Listening"/>.</summary>
    public void Listen(Uri address, IActorRef requester, bool closing)
    {
        if (closing)
        {
            requester.Tell(new Status.Failure(new MultiplexerClosedException("The exchange is closed")));
            return;
        }
        Task<ITransportListener> listening;
        try
        {
            var transport = UriTransports.For(address, resources, settings.WebSocket, settings.HandshakeTimeout);
            var self = exchange;
            // Told, not asked: nobody awaits an accepted session, so its connection goes to the subscribers.
            listening = transport.ListenAsync(address, stream =>
                {
                    self.Tell(new PxpExchange.AddStreamPeer(stream, Incoming: true, transport.Scheme), ActorRefs.NoSender);
                    return Task.CompletedTask;
                },
                error => self.Tell(new Failed(error)));
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or FormatException or System.Net.Sockets.SocketException)
        {
            requester.Tell(new Status.Failure(e));
            return;
        }
        listening.PipeTo(exchange, success: listener => new Bound(listener, requester, null),
            failure: e => new Bound(null, requester, e));
    }

    public void OnBound(Bound bound, bool closing)
    {
        if (bound.Listener is not { } listener)
        {
            bound.Requester.Tell(new Status.Failure(bound.Error!));
            return;
        }
        if (closing)
        {
            _ = listener.DisposeAsync().AsTask();
            bound.Requester.Tell(new Status.Failure(new MultiplexerClosedException("The exchange is closed")));
            return;
        }
        _listeners.Add(listener);
        log.Info("PXP node on network {0} listening on {1}", settings.NetworkId, listener.LocalAddress);
        bound.Requester.Tell(new PxpExchange.Listening(listener.LocalAddress));
    }

    /// <summary>Stops accepting before the sessions close; <see cref="Stopped"/> comes once every listener has stopped.</summary>
    public void StopAll()
    {
        if (_listeners.Count == 0) return;
        Stopping = true;
        Task.WhenAll(_listeners.Select(l => l.DisposeAsync().AsTask()))
            .PipeTo(exchange, success: () => Stopped.Instance, failure: _ => Stopped.Instance);
        _listeners.Clear();
    }

    public void OnStopped() => Stopping = false;

    /// <summary>The exchange stopped without a Close: nothing may go on accepting for an exchange that is gone.</summary>
    public void DisposeAll()
    {
        foreach (var listener in _listeners) _ = listener.DisposeAsync().AsTask();
        _listeners.Clear();
    }

    public sealed record Bound(ITransportListener? Listener, IActorRef Requester, Exception? Error);

    /// <summary>A listener failed to accept a connection.</summary>
    public sealed record Failed(Exception Error);

    public sealed record Stopped
    {
        public static Stopped Instance { get; } = new();
    }
}
