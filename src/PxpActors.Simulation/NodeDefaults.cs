using Akka.Configuration;

namespace PxpActors.Simulation;

/// <summary>What simulated nodes set smaller than a real node's defaults, under each node's own <c>Config</c> (docs/simulation.md).</summary>
internal static class NodeDefaults
{
    // An idle upgraded session holds a read buffer this big, and a swarm has thousands.
    public static Config Config { get; } = ConfigurationFactory.ParseString("pxp.webrtc.read-buffer-size = 1 KiB");
}
