using Akka.Actor;

namespace PxpActors.Simulation.Remote.Internal;

/// <summary>
/// A system's link endpoint (see <see cref="LinkEndpoint"/>): starts a <see cref="LinkSideActor"/> for each link it dials
/// or accepts, and gives accepted links to its acceptor. A failing side stops alone.
/// </summary>
internal sealed class LinkEndpointActor : ReceiveActor
{
    private readonly CrossSystemLinkSettings _settings;
    private IActorRef? _acceptor;

    public LinkEndpointActor(CrossSystemLinkSettings settings)
    {
        _settings = settings;
        Receive<LinkEndpoint.Dial>(dial =>
        {
            var linkId = Guid.NewGuid().ToString("N");
            Context.ActorOf(LinkSideActor.Dialing(linkId, _settings, dial.RemoteEndpoint, dial.Tag, Sender, dial.Outbound, dial.Inbound),
                $"dialed-{linkId}");
        });
        Receive<LinkOffer>(offer =>
        {
            if (_acceptor is null)
            {
                Sender.Tell(new LinkOfferRefused(offer.LinkId, $"{Self.Path} has no acceptor"));
                return;
            }
            if (!Context.Child($"accepted-{offer.LinkId}").IsNobody())
            {
                Sender.Tell(new LinkOfferRefused(offer.LinkId, $"link {offer.LinkId} is already open"));
                return;
            }
            var side = Context.ActorOf(LinkSideActor.Accepting(offer.LinkId, _settings, Sender), $"accepted-{offer.LinkId}");
            _acceptor.Tell(new LinkEndpoint.IncomingLink(offer.LinkId, offer.Tag, LinkFlow.Create(side, _settings, null, null)));
        });
        Receive<LinkEndpoint.Subscribe>(subscribe =>
        {
            if (_acceptor is not null) Context.Unwatch(_acceptor);
            _acceptor = subscribe.Acceptor;
            Context.Watch(_acceptor);
            Sender.Tell(LinkEndpoint.Subscribed.Instance);
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_acceptor), _ => _acceptor = null);
        Receive<LinkEndpoint.GetLinkCount>(_ => Sender.Tell(new LinkEndpoint.LinkCount(Context.GetChildren().Count())));
    }

    protected override SupervisorStrategy SupervisorStrategy() => Akka.Actor.SupervisorStrategy.StoppingStrategy;
}
