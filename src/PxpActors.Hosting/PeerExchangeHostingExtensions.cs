using Akka.Hosting;
using PxpActors.Actors;

namespace PxpActors.Hosting;

/// <summary>Runs a PXP node in an Akka.Hosting ActorSystem.</summary>
public static class PeerExchangeHostingExtensions
{
    /// <summary>
    /// A node on <paramref name="networkId"/>, accepting peers on <paramref name="listen"/> and connecting to
    /// <paramref name="bootstrapPeers"/> when the host starts.
    /// </summary>
    public static AkkaConfigurationBuilder WithPeerExchange(this AkkaConfigurationBuilder builder, string? networkId = null,
        IEnumerable<Uri>? listen = null, IEnumerable<Uri>? bootstrapPeers = null) =>
        builder.WithPeerExchange(new PeerExchangeHostingOptions
        {
            NetworkId = networkId,
            Listen = listen?.ToList(),
            BootstrapPeers = bootstrapPeers?.ToList(),
        });

    /// <summary>A node configured by <paramref name="configure"/>.</summary>
    public static AkkaConfigurationBuilder WithPeerExchange(this AkkaConfigurationBuilder builder,
        Action<PeerExchangeHostingOptions> configure)
    {
        var options = new PeerExchangeHostingOptions();
        configure(options);
        return builder.WithPeerExchange(options);
    }

    /// <summary>
    /// A node configured by <paramref name="options"/> (written over the application's <c>pxp</c> HOCON). Its actor is
    /// registered as <see cref="PeerExchangeActor"/>; the facade is <see cref="PeerExchangeExtension.Get"/> of the system
    /// (in DI through <see cref="PeerExchangeServiceCollectionExtensions.AddPeerExchange"/>); both stop with the host.
    /// </summary>
    public static AkkaConfigurationBuilder WithPeerExchange(this AkkaConfigurationBuilder builder, PeerExchangeHostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        builder.AddHocon(options.ToConfig(), HoconAddMode.Prepend);
        // The defaults go in too, so the system's config shows every pxp key the node runs with.
        builder.AddHocon(PxpConfig.Reference, HoconAddMode.Append);
        if (options.CandidateSource is { } candidates) builder.AddSetup(new PeerExchangeSetup(candidates));
        return builder.WithActors(HostedExchangeStart.RunAsync);
    }
}
