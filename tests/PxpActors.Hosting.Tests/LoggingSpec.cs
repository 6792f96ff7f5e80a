using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PxpActors.Hosting.Tests;

public sealed class LoggingSpec
{
    [Fact]
    public async Task Lines_about_a_peer_must_name_its_id_and_address_and_reach_Microsoft_Extensions_Logging()
    {
        var log = new LogLines();
        await using var hub = await HostedNode.StartAsync(
            akka => akka
                .ConfigureLoggers(loggers =>
                {
                    loggers.LogLevel = Akka.Event.LogLevel.DebugLevel;
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                })
                .WithPeerExchange("hosted-net", [new Uri("tcp://127.0.0.1:0")]),
            services => services.AddLogging(logging => logging.AddProvider(log).SetMinimumLevel(LogLevel.Debug)));
        await using var leaf = await HostedNode.StartAsync(akka => akka.WithPeerExchange("hosted-net", bootstrapPeers: [hub.ListenAddress]));
        // Each side's peer list changes on its own actor: wait for both.
        await HostedNode.UntilAsync(() => hub.Exchange.Peers.Count == 1 && leaf.Exchange.Peers.Count == 1, "the leaf and the hub to know each other");

        var peer = hub.Exchange.Peers[0];
        Assert.StartsWith("127.0.0.1:", peer.RemoteAddress);
        Assert.Equal(hub.ListenAddress.Port, int.Parse(leaf.Exchange.Peers[0].RemoteAddress!.Split(':')[1]));
        await HostedNode.UntilAsync(() => log.Lines.Any(l => l.Contains($"listening on {hub.ListenAddress}")), "the listening line");
        await HostedNode.UntilAsync(() => log.Lines.Any(l => l.Contains($"PXP peer {peer.Id} at {peer.RemoteAddress} joined")),
            "a line naming the peer by id and address:\n" + string.Join("\n", log.Lines));
    }
}
