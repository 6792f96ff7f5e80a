using Akka.Actor;
using PxpActors.Multiplexing;
using PxpActors.Relays;

namespace PxpActors.Sessions;

/// <summary>
/// A request waiting on a session: for its reply, or (the peer's) for the substream we open to answer it.
/// <paramref name="ReplyTo"/> hears the outcome; <paramref name="Stream"/> is the substream opened for it, once open.
/// </summary>
internal sealed record PendingRequest(IActorRef? ReplyTo, RequestKind Kind = RequestKind.GetPeers, SubstreamChannel? Stream = null);
