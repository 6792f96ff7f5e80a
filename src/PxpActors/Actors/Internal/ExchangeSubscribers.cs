using Akka.Actor;

namespace PxpActors.Actors.Internal;

/// <summary>The actors an exchange sends its events to, each watched so that one that stops is dropped.</summary>
internal sealed class ExchangeSubscribers
{
    private readonly HashSet<IActorRef> _subscribers = [];

    public void Subscribe(IActorRef subscriber, IActorContext context)
    {
        if (_subscribers.Add(subscriber)) context.Watch(subscriber);
    }

    public void Unsubscribe(IActorRef subscriber, IActorContext context)
    {
        if (_subscribers.Remove(subscriber)) context.Unwatch(subscriber);
    }

    /// <summary>Drops <paramref name="actor"/> when it was a subscriber that stopped; false when it was none.</summary>
    public bool Stopped(IActorRef actor) => _subscribers.Remove(actor);

    public void Publish(PxpExchange.IExchangeEvent e)
    {
        foreach (var subscriber in _subscribers) subscriber.Tell(e);
    }
}
