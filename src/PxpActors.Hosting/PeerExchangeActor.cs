namespace PxpActors.Hosting;

/// <summary>
/// The key the hosted exchange's actor is registered under: inject <c>IRequiredActor&lt;PeerExchangeActor&gt;</c> to send it
/// the messages of <see cref="Actors.PxpExchange"/>.
/// </summary>
public sealed class PeerExchangeActor
{
    private PeerExchangeActor()
    {
    }
}
