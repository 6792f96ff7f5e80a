using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;

namespace PxpActors.Simulation.Remote;

/// <summary>
/// The configuration of an ActorSystem that takes part in a simulation spanning systems: Akka.Remote on one address, the
/// serializer of the simulation's messages, Akka.Streams' stream-reference serializer, and a failure detector quick
/// enough that a system or process going away fails its links within seconds.
/// </summary>
public static class RemoteSimulationConfig
{
    /// <summary>Akka.Remote's classic transport caps a message at this; links cut their bytes into chunks well below it.</summary>
    internal const int MaximumFrameSize = 256 * 1024;

    /// <summary>
    /// The config for one system: remote on <paramref name="hostname"/>:<paramref name="port"/> (0 = any free port), unreachable
    /// after <paramref name="failureDetection"/> (default 3 s) without heartbeats.
    /// </summary>
    public static Config Create(string hostname = "127.0.0.1", int port = 0, TimeSpan? failureDetection = null)
    {
        var pause = failureDetection ?? TimeSpan.FromSeconds(3);
        if (pause <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(failureDetection), pause, "Must be positive.");
        var pauseMs = (long)pause.TotalMilliseconds;
        return ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              actor {
                provider = remote
                serializers.pxp-simulation = "{{typeof(RemoteSimulationSerializer).AssemblyQualifiedName}}"
                serialization-bindings."{{typeof(IRemoteSimulationMessage).AssemblyQualifiedName}}" = pxp-simulation
              }
              remote {
                dot-netty.tcp {
                  hostname = "{{hostname}}"
                  port = {{port}}
                  maximum-frame-size = {{MaximumFrameSize}}b
                  send-buffer-size = {{MaximumFrameSize * 4}}b
                  receive-buffer-size = {{MaximumFrameSize * 4}}b
                }
                # DeathWatch across systems: a system that stops answering heartbeats is declared gone after the pause.
                watch-failure-detector {
                  heartbeat-interval = {{Math.Max(100, pauseMs / 6)}}ms
                  acceptable-heartbeat-pause = {{pauseMs}}ms
                  unreachable-nodes-reaper-interval = {{Math.Max(100, pauseMs / 6)}}ms
                  expected-response-after = {{Math.Max(100, pauseMs / 3)}}ms
                }
                # Do not keep a dead address gated longer than the failure detector needs.
                retry-gate-closed-for = 1s
              }
              # Every stream ref that receives re-sends its demand at this interval for as long as it lives, in case the
              # message was lost (1 s by default). Over one ordered TCP association a demand is not lost without the
              # association failing, which fails the link anyway; at 1 s thousands of idle links would each send a remote
              # message a second in each direction.
              stream.materializer.stream-ref.demand-redelivery-interval = 60s
            }
            """)
            .WithFallback(ActorMaterializer.DefaultConfig());
    }

    /// <summary>A new ActorSystem configured by <see cref="Create"/>, with <paramref name="extra"/> over it.</summary>
    public static ActorSystem CreateSystem(string name, string hostname = "127.0.0.1", int port = 0, Config? extra = null,
        TimeSpan? failureDetection = null) =>
        ActorSystem.Create(name, (extra ?? Config.Empty).WithFallback(Create(hostname, port, failureDetection)));

    /// <summary>The address other systems reach <paramref name="system"/> at (port 0 resolved).</summary>
    public static Address AddressOf(ActorSystem system) => ((ExtendedActorSystem)system).Provider.DefaultAddress;
}
