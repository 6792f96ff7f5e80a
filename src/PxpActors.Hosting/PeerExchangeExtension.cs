using Akka;
using Akka.Actor;

namespace PxpActors.Hosting;

/// <summary>
/// The one <see cref="PeerExchange"/> of an ActorSystem, configured by the system's <c>pxp</c> section, made on first use and
/// closed (listeners stopped, sessions closed, actors stopped) when the system shuts down.
/// </summary>
public sealed class PeerExchangeExtension : IExtension
{
    private PeerExchangeExtension(ActorSystem system)
    {
        var setup = system.Settings.Setup.Get<PeerExchangeSetup>();
        Exchange = new PeerExchange(system, new PeerExchangeOptions
        {
            CandidateSource = setup.HasValue ? setup.Value.CandidateSource : null,
        });
        // service-unbind: stop accepting and close every session while the system still runs, before its actors are stopped.
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "pxp-close", async () =>
        {
            await Exchange.CloseAsync().ConfigureAwait(false);
            return Done.Instance;
        });
    }

    /// <summary>The system's exchange.</summary>
    public PeerExchange Exchange { get; }

    /// <summary>The exchange of <paramref name="system"/>, made on the first call.</summary>
    public static PeerExchange Get(ActorSystem system) => system.WithExtension<PeerExchangeExtension, Id>().Exchange;

    /// <summary>Akka's handle that makes the extension once per system.</summary>
    public sealed class Id : ExtensionIdProvider<PeerExchangeExtension>
    {
        /// <summary>Makes the extension, and so the exchange, for <paramref name="system"/>.</summary>
        public override PeerExchangeExtension CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
