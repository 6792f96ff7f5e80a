using Akka.Actor;
using Akka.Discovery;
using Akka.Event;
using Akka.Hosting;

namespace PxpActors.Hosting;

/// <summary>
/// What a hosted node does as its host starts: registers the exchange's actor, binds <c>pxp.listen</c> (a bad address fails
/// the start), then connects to the bootstrap peers and to those Akka.Discovery finds, in the background: a peer that is
/// down is logged and skipped. The background work is cancelled and awaited at shutdown, before the exchange closes.
/// </summary>
internal static class HostedExchangeStart
{
    public static async Task RunAsync(ActorSystem system, IActorRegistry registry)
    {
        var exchange = PeerExchangeExtension.Get(system);
        registry.Register<PeerExchangeActor>(exchange.Actor);
        var settings = HostedExchangeSettings.Create(system.Settings.Config);
        var log = Logging.GetLogger(system, typeof(PeerExchange));
        foreach (var address in settings.Listen)
        {
            var bound = await exchange.ListenAsync(address).ConfigureAwait(false);
            log.Info("PXP node on network {0} listening on {1}", exchange.NetworkId, bound);
        }

        var stop = new CancellationTokenSource();
        var bootstrap = BootstrapAsync(system, exchange, settings, log, stop.Token);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "pxp-bootstrap-stop", async () =>
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await bootstrap.ConfigureAwait(false);
            stop.Dispose();
            return Akka.Done.Instance;
        });
    }

    private static async Task BootstrapAsync(ActorSystem system, PeerExchange exchange, HostedExchangeSettings settings,
        ILoggingAdapter log, CancellationToken stop)
    {
        await Task.Yield(); // never on the host's start path
        var peers = settings.BootstrapPeers.ToList();
        if (settings.DiscoveryServiceName.Length > 0)
            peers.AddRange(await DiscoverAsync(system, settings, log).ConfigureAwait(false));
        await Task.WhenAll(peers.Select(address => ConnectAsync(exchange, address, log, stop))).ConfigureAwait(false);
    }

    private static async Task ConnectAsync(PeerExchange exchange, Uri address, ILoggingAdapter log, CancellationToken stop)
    {
        try
        {
            // Its connection goes to the Connected event, like an incoming peer's: the application owns it there.
            var peer = await exchange.AddPeerAsync(address, stop).ConfigureAwait(false);
            log.Info("PXP bootstrap peer {0} at {1} connected", peer.Id, address);
        }
        catch (Exception e) when (stop.IsCancellationRequested)
        {
            log.Debug("PXP bootstrap peer {0} not connected: the node is stopping ({1})", address, e.Message);
        }
        catch (Exception e)
        {
            log.Warning("PXP bootstrap peer {0} not connected: {1}", address, e.Message);
        }
    }

    /// <summary>The endpoints of <c>pxp.discovery.service-name</c> as tcp:// addresses; none when the lookup fails.</summary>
    private static async Task<IReadOnlyList<Uri>> DiscoverAsync(ActorSystem system, HostedExchangeSettings settings, ILoggingAdapter log)
    {
        try
        {
            var discovery = Discovery.Get(system);
            var method = settings.DiscoveryMethod.Length > 0 ? discovery.LoadServiceDiscovery(settings.DiscoveryMethod) : discovery.Default;
            var resolved = await method.Lookup(new Lookup(settings.DiscoveryServiceName), settings.DiscoveryResolveTimeout)
                .ConfigureAwait(false);
            var found = resolved.Addresses
                .Where(target => target.Port is not null)
                .Select(target => new UriBuilder("tcp", target.Address?.ToString() ?? target.Host, target.Port!.Value).Uri)
                .ToList();
            log.Info("PXP discovery of {0} found {1} bootstrap peer(s): {2}", settings.DiscoveryServiceName, found.Count,
                string.Join(", ", found));
            return found;
        }
        catch (Exception e)
        {
            log.Warning("PXP discovery of {0} failed: {1}", settings.DiscoveryServiceName, e.Message);
            return [];
        }
    }
}
