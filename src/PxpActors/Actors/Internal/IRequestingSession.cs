using PxpActors.Multiplexing;
using PxpActors.Relays;

namespace PxpActors.Actors.Internal;

/// <summary>What <see cref="SessionRequests"/> needs of the session it serves: the outcomes that change the session itself.</summary>
internal interface IRequestingSession
{
    /// <summary>The application stream is open, by our connect or the peer's.</summary>
    void ConnectionOpened(SubstreamChannel data);

    /// <summary>The peer refused our connect: the session has nothing left to do.</summary>
    void ConnectRefused(PxpRequestException error);

    /// <summary>A relayed session the peer wanted to carry to us could not start.</summary>
    void CarriedSessionRefused();

    /// <summary>The session is over because of the peer.</summary>
    void Fail(Exception error);
}
