using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Simulation.Remote.Internal;

namespace PxpActors.Simulation.Remote;

/// <summary>
/// The actor in each ActorSystem that establishes cross-system links: it dials another system's endpoint, accepts the
/// offers of others, and keeps one child per link side. A link's bytes travel over Akka.Streams stream references
/// (one <c>SourceRef</c> per direction); each side is a <see cref="Flow{TIn,TOut,TMat}"/> of bytes for
/// <c>PeerExchange.ConnectAsync</c> / <c>AcceptAsync</c>. Either side closing completes the other; a system that goes
/// away (DeathWatch) or a side never run (stream-ref and materialize timeouts) fails it.
/// </summary>
public static class LinkEndpoint
{
    /// <summary>The endpoint's actor name when started with <see cref="Start"/>.</summary>
    public const string DefaultName = "pxp-link-endpoint";

    /// <summary>The props of an endpoint.</summary>
    public static Props Props(CrossSystemLinkSettings? settings = null) =>
        Akka.Actor.Props.Create(() => new LinkEndpointActor((settings ?? CrossSystemLinkSettings.Default).Validated()));

    /// <summary>Starts an endpoint in <paramref name="system"/> under <c>/user/<paramref name="name"/></c>.</summary>
    public static IActorRef Start(ActorSystem system, CrossSystemLinkSettings? settings = null, string name = DefaultName) =>
        system.ActorOf(Props(settings), name);

    /// <summary>The endpoint started with <see cref="Start"/> in the system at <paramref name="address"/>, as seen from <paramref name="system"/>.</summary>
    public static Task<IActorRef> ResolveAsync(ActorSystem system, Address address, string name = DefaultName, TimeSpan? timeout = null) =>
        system.ActorSelection(new RootActorPath(address) / "user" / name).ResolveOne(timeout ?? TimeSpan.FromSeconds(10));

    /// <summary>
    /// Opens a link to the endpoint <paramref name="RemoteEndpoint"/> of another system. Answered with <see cref="Linked"/>
    /// once that endpoint accepted, or a <see cref="Status.Failure"/> (refused, or no answer within the offer timeout).
    /// </summary>
    /// <param name="RemoteEndpoint">The other system's endpoint.</param>
    /// <param name="Tag">What the link is for, handed to the other side's acceptor (for example the node to connect).</param>
    /// <param name="Outbound">Conditions on the bytes this side sends (latency, loss, …); null passes them as they are.</param>
    /// <param name="Inbound">Conditions on the bytes this side receives; null passes them as they are.</param>
    public sealed record Dial(
        IActorRef RemoteEndpoint,
        string Tag,
        Flow<ByteString, ByteString, NotUsed>? Outbound = null,
        Flow<ByteString, ByteString, NotUsed>? Inbound = null);

    /// <summary>The dialing side of an established link: run <paramref name="Flow"/> once.</summary>
    public sealed record Linked(string LinkId, Flow<ByteString, ByteString, NotUsed> Flow);

    /// <summary>Makes <paramref name="Acceptor"/> the receiver of <see cref="IncomingLink"/>s; answered with <see cref="Subscribed"/>.</summary>
    /// <remarks>Without an acceptor the endpoint refuses offers. A later subscription replaces an earlier one.</remarks>
    public sealed record Subscribe(IActorRef Acceptor);

    /// <summary>The acceptor is registered.</summary>
    public sealed record Subscribed
    {
        /// <summary>The one instance.</summary>
        public static Subscribed Instance { get; } = new();
    }

    /// <summary>The accepting side of a link another system dialed: run <paramref name="Flow"/> once.</summary>
    public sealed record IncomingLink(string LinkId, string Tag, Flow<ByteString, ByteString, NotUsed> Flow);

    /// <summary>Asks how many link sides the endpoint holds; answered with <see cref="LinkCount"/>.</summary>
    public sealed record GetLinkCount
    {
        /// <summary>The one instance.</summary>
        public static GetLinkCount Instance { get; } = new();
    }

    /// <summary>The link sides an endpoint holds (dialing, established and not yet ended).</summary>
    public sealed record LinkCount(int Open);
}
