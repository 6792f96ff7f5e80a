using Akka.Configuration;
using PxpActors.Actors;

namespace PxpActors.Hosting;

/// <summary>What a hosted node does when its host starts: the <c>pxp.listen</c>, <c>pxp.bootstrap-peers</c> and <c>pxp.discovery</c> keys.</summary>
public sealed record HostedExchangeSettings(
    IReadOnlyList<Uri> Listen,
    IReadOnlyList<Uri> BootstrapPeers,
    string DiscoveryServiceName,
    string DiscoveryMethod,
    TimeSpan DiscoveryResolveTimeout)
{
    /// <summary>Reads the keys from a config holding a <c>pxp</c> section (missing keys fall back to the defaults).</summary>
    public static HostedExchangeSettings Create(Config config)
    {
        // A config cannot fall back on itself: the defaults alone are read as they are.
        var pxp = (ReferenceEquals(config, PxpConfig.Reference) ? config : config.WithFallback(PxpConfig.Reference)).GetConfig("pxp");
        return new HostedExchangeSettings(
            Listen: Uris(pxp, "listen"),
            BootstrapPeers: Uris(pxp, "bootstrap-peers"),
            DiscoveryServiceName: pxp.GetString("discovery.service-name", ""),
            DiscoveryMethod: pxp.GetString("discovery.method", ""),
            DiscoveryResolveTimeout: pxp.GetTimeSpan("discovery.resolve-timeout"));
    }

    private static IReadOnlyList<Uri> Uris(Config pxp, string key)
    {
        var uris = new List<Uri>();
        foreach (var text in pxp.GetStringList(key))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
                throw new ConfigurationException($"pxp.{key}: \"{text}\" is not an address (tcp://HOST:PORT)");
            uris.Add(uri);
        }
        return uris;
    }
}
