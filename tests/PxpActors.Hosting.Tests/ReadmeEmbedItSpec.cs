using System.Reflection;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PxpActors.Hosting.Tests;

/// <summary>The README's "Embed it" example, run as written (its addresses pointed at loopback).</summary>
public sealed class ReadmeEmbedItSpec
{
    // README_example_must_be_the_one_this_spec_runs keeps this and the README the same; PackSpec runs it from the packages.
    internal const string Example = """
        services.AddAkka("my-system", akka => akka.WithPeerExchange(options =>
        {
            options.NetworkId = "my-network";
            options.Listen = [new Uri("tcp://0.0.0.0:7000")];          // accept peers from the start
            options.BootstrapPeers = [new Uri("tcp://10.0.0.7:7000")]; // and connect to these
        }));
        services.AddPeerExchange(); // the PeerExchange facade in DI
        """;

    [Fact]
    public void README_example_must_be_the_one_this_spec_runs()
    {
        var root = typeof(ReadmeEmbedItSpec).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "PxpActors.RepositoryRoot").Value!;
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var section = readme[readme.IndexOf("## Embed it", StringComparison.Ordinal)..];
        var start = section.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        Assert.Equal(Example.Trim(), section[start..section.IndexOf("```", start, StringComparison.Ordinal)].Trim());
    }

    [Fact]
    public async Task README_example_must_run_a_node_that_reaches_its_bootstrap_peer()
    {
        await using var bootstrap = await HostedNode.StartAsync(akka => akka.WithPeerExchange("my-network", [new Uri("tcp://127.0.0.1:0")]));

        using var host = new HostBuilder().ConfigureServices(services =>
        {
            // ---- the example ----
            services.AddAkka("my-system", akka => akka.WithPeerExchange(options =>
            {
                options.NetworkId = "my-network";
                options.Listen = [new Uri("tcp://127.0.0.1:0")];
                options.BootstrapPeers = [bootstrap.ListenAddress];
            }));
            services.AddPeerExchange();
            // ---- end of the example ----
        }).Build();
        await host.StartAsync().WaitAsync(HostedNode.Patience);

        var exchange = host.Services.GetRequiredService<PeerExchange>();
        await HostedNode.UntilAsync(() => exchange.Peers.Count == 1 && bootstrap.Exchange.Peers.Count == 1, "the example's node to reach its peer");
        Assert.Equal("my-network", exchange.NetworkId);
        Assert.Single(exchange.ListenAddresses);

        await host.StopAsync().WaitAsync(HostedNode.Patience);
        await HostedNode.UntilAsync(() => bootstrap.Exchange.Peers.Count == 0, "the bootstrap peer to see the node leave");
    }
}
