using Akka.Actor.Setup;
using PxpActors.Actors;

namespace PxpActors.Hosting;

/// <summary>
/// What a hosted exchange takes that HOCON cannot say: code. <c>WithPeerExchange</c> adds it to the ActorSystem's setup
/// when an option needs it, and the system's <see cref="PeerExchangeExtension"/> reads it.
/// </summary>
public sealed class PeerExchangeSetup(CandidateSource? candidateSource) : Setup
{
    /// <summary>Replaces the default candidates in getpeers replies (see <see cref="PeerExchangeOptions.CandidateSource"/>).</summary>
    public CandidateSource? CandidateSource { get; } = candidateSource;
}
