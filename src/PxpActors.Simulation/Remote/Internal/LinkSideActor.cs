using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace PxpActors.Simulation.Remote.Internal;

/// <summary>
/// One side of a cross-system link, a child of its system's <see cref="LinkEndpointActor"/>. It pairs with the other side's
/// actor (watched across systems), passes this side's <c>SourceRef</c> over, and hands the other's to this side's flow.
/// It stops once its flow has ended, when it is not run in time, or when the other side is gone before bytes flowed.
/// Once both flows run, the stream refs carry completion, cancellation and failure (they watch each other too).
/// </summary>
internal sealed class LinkSideActor : ReceiveActor, IWithTimers
{
    private const string OfferTimer = "offer";
    private const string MaterializeTimer = "materialize";
    private const string GoneTimer = "gone";

    // A side whose partner stopped after an orderly end sees that end through the stream refs first; this long at most.
    private static readonly TimeSpan EndInFlight = TimeSpan.FromSeconds(2);

    private readonly string _linkId;
    private readonly CrossSystemLinkSettings _settings;
    private readonly Action _start;
    private readonly List<IActorRef> _waiting = [];
    private IActorRef? _partner;
    private ISourceRef<byte[]>? _partnerOutgoing;
    private LocalRunning? _running;

    /// <summary>A dialing side: offers the link to <paramref name="remoteEndpoint"/> and answers <paramref name="requester"/>.</summary>
    public LinkSideActor(string linkId, CrossSystemLinkSettings settings, IActorRef remoteEndpoint, string tag, IActorRef requester,
        Flow<ByteString, ByteString, NotUsed>? outbound, Flow<ByteString, ByteString, NotUsed>? inbound)
    {
        _linkId = linkId;
        _settings = settings;
        _start = () =>
        {
            Timers.StartSingleTimer(OfferTimer, OfferExpired.Instance, _settings.OfferTimeout);
            remoteEndpoint.Tell(new LinkOffer(linkId, tag));
        };
        Dialing(remoteEndpoint, requester, outbound, inbound);
    }

    /// <summary>An accepting side, paired with <paramref name="partner"/> from the start.</summary>
    public LinkSideActor(string linkId, CrossSystemLinkSettings settings, IActorRef partner)
    {
        _linkId = linkId;
        _settings = settings;
        _start = () =>
        {
            Pair(partner);
            partner.Tell(new LinkOfferAccepted(linkId));
        };
        Established();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Dialing(string linkId, CrossSystemLinkSettings settings, IActorRef remoteEndpoint, string tag, IActorRef requester,
        Flow<ByteString, ByteString, NotUsed>? outbound, Flow<ByteString, ByteString, NotUsed>? inbound) =>
        Props.Create(() => new LinkSideActor(linkId, settings, remoteEndpoint, tag, requester, outbound, inbound));

    public static Props Accepting(string linkId, CrossSystemLinkSettings settings, IActorRef partner) =>
        Props.Create(() => new LinkSideActor(linkId, settings, partner));

    // Timers exist from PreStart on, not in the constructor.
    protected override void PreStart() => _start();

    private void Dialing(IActorRef remoteEndpoint, IActorRef requester,
        Flow<ByteString, ByteString, NotUsed>? outbound, Flow<ByteString, ByteString, NotUsed>? inbound)
    {
        Receive<LinkOfferAccepted>(_ =>
        {
            Timers.Cancel(OfferTimer);
            Pair(Sender);
            requester.Tell(new LinkEndpoint.Linked(_linkId, LinkFlow.Create(Self, _settings, outbound, inbound)));
            Become(Established);
        });
        Receive<LinkOfferRefused>(refused => Fail(requester, $"{remoteEndpoint.Path} refused the link: {refused.Reason}"));
        Receive<OfferExpired>(_ =>
            Fail(requester, $"{remoteEndpoint.Path} did not accept the link within {_settings.OfferTimeout.TotalSeconds:0.#} s"));
    }

    private void Established()
    {
        Receive<LocalRunning>(running => _running = running);
        Receive<LocalOutgoingReady>(ready =>
        {
            Timers.Cancel(MaterializeTimer);
            _partner?.Tell(ready.Outgoing);
        });
        Receive<ISourceRef<byte[]>>(outgoing =>
        {
            _partnerOutgoing = outgoing;
            foreach (var waiting in _waiting) waiting.Tell(new PartnerOutgoing(outgoing));
            _waiting.Clear();
        });
        Receive<AwaitPartnerOutgoing>(_ =>
        {
            if (_partnerOutgoing is { } outgoing) Sender.Tell(new PartnerOutgoing(outgoing));
            else if (_partner is null) Sender.Tell(new Status.Failure(Gone()));
            else _waiting.Add(Sender);
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_partner), _ =>
        {
            _partner = null;
            if (_partnerOutgoing is null)
            {
                // Its bytes never came: this side's flow fails (or, not run yet, finds the side closed).
                foreach (var waiting in _waiting) waiting.Tell(new Status.Failure(Gone()));
                _waiting.Clear();
                Context.Stop(Self);
            }
            // Its system went away (DeathWatch): the running flow fails, unless its orderly end is on the way.
            else Timers.StartSingleTimer(GoneTimer, PartnerGone.Instance, EndInFlight);
        });
        Receive<PartnerGone>(_ =>
        {
            var gone = Gone();
            _running?.Sending.Abort(gone);
            _running?.Receiving.Abort(gone);
        });
        Receive<LocalStreamEnded>(_ => Context.Stop(Self));
        Receive<NotRun>(_ => Context.Stop(Self));
    }

    private void Pair(IActorRef partner)
    {
        _partner = partner;
        Context.Watch(partner);
        // A side nobody runs would hold the other forever.
        Timers.StartSingleTimer(MaterializeTimer, NotRun.Instance, _settings.MaterializeTimeout);
    }

    private sealed record OfferExpired
    {
        public static OfferExpired Instance { get; } = new();
    }

    private sealed record PartnerGone
    {
        public static PartnerGone Instance { get; } = new();
    }

    private sealed record NotRun
    {
        public static NotRun Instance { get; } = new();
    }

    private CrossSystemLinkException Gone() => new($"The other side of link {_linkId} is gone");

    private void Fail(IActorRef requester, string reason)
    {
        requester.Tell(new Status.Failure(new CrossSystemLinkException(reason)));
        Context.Stop(Self);
    }
}
