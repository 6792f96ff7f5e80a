using System.Reflection;
using Akka.Configuration;
using PxpActors.Simulation.Topologies;

namespace PxpActors.Simulation.Tests.Docs;

/// <summary>The example of docs/simulation.md runs, as written there.</summary>
public sealed class DocsExampleSpec
{
    [Fact]
    public async Task The_example_of_the_simulation_doc_must_run()
    {
        // -- example start
        await using var sim = new Simulation(new SimulationOptions
        {
            TargetPeers = 3,
            // Short waits: a getNewPeer caught by a crash gives up in seconds, and upkeep tries again soon.
            Node = new PeerExchangeOptions
            {
                Config = ConfigurationFactory.ParseString("pxp.upkeep.max-backoff = 4s\npxp.get-new-peer-timeout = 5s"),
            },
        });
        var nodes = sim.AddNodes(20);
        await sim.ConnectAsync(Topology.Star(seed: 0));   // everyone dials node-0

        // upkeep calls getNewPeer (relay + simulated WebRTC) until each node has 3 peers
        var graph = await sim.AwaitGraphAsync(g => g.MinDegree >= 3 && g.IsConnected, TimeSpan.FromSeconds(60));
        Assert.True(graph.Diameter <= 6, graph.ToString());

        await sim.CrashRandomAsync(0.25, spare: n => n == nodes[0]);
        await sim.AwaitGraphAsync(g => g.Nodes.Count == 15 && g.MinDegree >= 3 && g.IsConnected, TimeSpan.FromSeconds(60));
        // -- example end
    }

    [Theory]
    [InlineData("docs/simulation.md", "Docs/DocsExampleSpec.cs", "example")]
    [InlineData("README.md", "Observation/NodeProbeSpec.cs", "readme example")]
    public void A_doc_must_show_the_example_a_spec_runs(string doc, string spec, string marker)
    {
        var root = typeof(DocsExampleSpec).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "PxpActors.RepositoryRoot").Value!;
        var text = File.ReadAllText(Path.Combine(root, doc));
        var source = File.ReadAllLines(Path.Combine(root, "tests", "PxpActors.Simulation.Tests", spec));
        var start = Array.FindIndex(source, l => l.Contains($"// -- {marker} start")) + 1;
        var end = Array.FindIndex(source, l => l.Contains($"// -- {marker} end"));
        Assert.True(start > 0 && end > start, $"{spec} has no \"{marker}\" markers");
        var example = string.Join("\n", source[start..end].Select(l => l.Length >= 8 ? l[8..] : l.Trim()));
        Assert.Contains(example, text.Replace("\r\n", "\n"));
    }
}
