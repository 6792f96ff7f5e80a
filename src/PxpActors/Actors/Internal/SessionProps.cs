using Akka.Actor;

namespace PxpActors.Actors.Internal;

/// <summary>Where a node's session actors (a PeerActor per peer, a HubRelayActor per relay) run.</summary>
internal static class SessionProps
{
    /// <summary>The dispatcher of session actors, with their idle-cheap mailbox (hocon/reference.conf).</summary>
    public const string Dispatcher = "pxp.session-dispatcher";

    /// <summary>Made once: WithDispatcher per session would build a deployment (and parse an empty config) every time.</summary>
    public static Deploy Deploy { get; } = Props.Empty.Deploy.WithDispatcher(Dispatcher);
}
