using System.Diagnostics;
using PxpActors.Bench.Scenarios.Swarm;
using PxpActors.Simulation.Remote;

namespace PxpActors.Bench.Roles;

/// <summary>
/// Child process of the swarm-remote benchmark: an ActorSystem with Akka.Remote on loopback and a NodeHost whose nodes
/// upgrade over the simulated WebRTC that reaches other systems; the parent places and links nodes through the host over
/// Akka.Remote. Line protocol (RoleConsole): stdout first {"address": akka address}; "stats" → the requests its nodes
/// received since the last "stats" and the process's CPU seconds; "measure" → its memory after full collections; "exit".
/// </summary>
public static class SwarmRemoteNodeRole
{
    public const string Name = "swarm-remote-node";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        if (args.Count != 0) throw new ArgumentException("swarm-remote-node takes no arguments");
        using var messages = new SwarmMessageCounter();
        var system = SwarmRemoteRun.StartSystem("swarm-remote-child");
        RoleConsole.Reply(new { address = RemoteSimulationConfig.AddressOf(system).ToString() });

        await RoleConsole.ServeAsync((command, _) =>
        {
            switch (command)
            {
                case "stats":
                    var taken = messages.Take();
                    using (var self = Process.GetCurrentProcess())
                        RoleConsole.Reply(new { taken.GetPeers, taken.Relay, taken.Upgrade, cpuSeconds = self.TotalProcessorTime.TotalSeconds });
                    break;
                case "measure":
                    RoleConsole.Reply(MemoryReading.Take(0));
                    break;
                default:
                    throw new ArgumentException($"unknown command {command}");
            }
            return Task.CompletedTask;
        }).ConfigureAwait(false);

        // Thrown away with the process: its nodes are not closed one by one, and a slow termination is not waited for.
        await Task.WhenAny(system.Terminate(), Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        return 0;
    }
}
