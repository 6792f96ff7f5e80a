using Akka.Actor;
using PxpActors.Simulation.WebRtc;

namespace PxpActors.Simulation.Remote.Internal;

/// <summary>The acceptor of a <see cref="CrossSystemWebRtc"/>'s endpoint: hands each link to the offer its tag names.</summary>
internal sealed class WebRtcLinkAcceptorActor : ReceiveActor
{
    public WebRtcLinkAcceptorActor(SimulatedWebRtc network)
    {
        Receive<LinkEndpoint.IncomingLink>(link => network.AcceptLink(link.Tag, link.Flow));
        Receive<LinkEndpoint.Subscribed>(_ => { });
    }
}
