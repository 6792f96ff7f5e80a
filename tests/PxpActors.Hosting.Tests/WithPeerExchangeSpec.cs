using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace PxpActors.Hosting.Tests;

public sealed class WithPeerExchangeSpec
{
    private static readonly Uri AnyLoopbackPort = new("tcp://127.0.0.1:0");

    [Fact]
    public async Task WithPeerExchange_must_write_its_options_into_the_system_config_and_the_facade_must_run_by_it()
    {
        await using var node = await HostedNode.StartAsync(akka => akka.WithPeerExchange(options =>
        {
            options.NetworkId = "hosted-net";
            options.AllowIncoming = false;
            options.RequestTimeout = TimeSpan.FromSeconds(3);
            options.Listen = [AnyLoopbackPort];
        }));

        var config = node.System.Settings.Config;
        Assert.Equal("hosted-net", config.GetString("pxp.network-id"));
        Assert.False(config.GetBoolean("pxp.allow-incoming"));
        Assert.Equal(TimeSpan.FromSeconds(3), config.GetTimeSpan("pxp.request-timeout"));
        Assert.Equal(["tcp://127.0.0.1:0"], config.GetStringList("pxp.listen"));
        // What was not set keeps reference.conf's default.
        Assert.Equal(TimeSpan.FromSeconds(10), config.GetTimeSpan("pxp.handshake-timeout"));

        Assert.Equal("hosted-net", node.Exchange.NetworkId);
        Assert.False(node.Exchange.Settings.AllowIncoming);
        Assert.Equal(TimeSpan.FromSeconds(3), node.Exchange.Settings.RequestTimeout);
        Assert.Equal(IPAddressLoopback, node.ListenAddress.Host);
        Assert.NotEqual(0, node.ListenAddress.Port);
    }

    [Fact]
    public async Task WithPeerExchange_must_register_the_exchange_actor_and_the_facade_over_the_hosted_system()
    {
        await using var node = await HostedNode.StartAsync(akka => akka.WithPeerExchange("hosted-net"));

        var required = node.Host.Services.GetRequiredService<IRequiredActor<PeerExchangeActor>>();
        var actor = await required.GetAsync().WaitAsync(HostedNode.Patience);
        Assert.Equal(node.Exchange.Actor, actor);
        Assert.Same(node.Exchange, node.Host.Services.GetRequiredService<PeerExchange>());
        Assert.Same(node.Exchange, PeerExchangeExtension.Get(node.System));
        // The facade runs in the hosted system, not one of its own.
        Assert.Equal(node.System.Name, actor.Path.Address.System);
        var peers = await actor.Ask<Actors.PxpExchange.PeerList>(new Actors.PxpExchange.ListPeers(), HostedNode.Patience);
        Assert.Empty(peers.Peers);
    }

    [Fact]
    public async Task The_three_overloads_must_write_the_same_config()
    {
        var listen = new[] { AnyLoopbackPort };
        await using var byParameters = await HostedNode.StartAsync(akka => akka.WithPeerExchange("net-a", listen));
        await using var byAction = await HostedNode.StartAsync(akka => akka.WithPeerExchange(o =>
        {
            o.NetworkId = "net-a";
            o.Listen = listen;
        }));
        await using var byObject = await HostedNode.StartAsync(akka =>
            akka.WithPeerExchange(new PeerExchangeHostingOptions { NetworkId = "net-a", Listen = listen }));

        foreach (var node in new[] { byParameters, byAction, byObject })
        {
            Assert.Equal("net-a", node.System.Settings.Config.GetString("pxp.network-id"));
            Assert.Equal(["tcp://127.0.0.1:0"], node.System.Settings.Config.GetStringList("pxp.listen"));
            Assert.Single(node.Exchange.ListenAddresses);
        }
    }

    [Fact]
    public async Task The_application_HOCON_must_apply_where_the_options_leave_a_key_unset()
    {
        await using var node = await HostedNode.StartAsync(akka => akka
            .AddHocon(ConfigurationFactory.ParseString("pxp { network-id = from-hocon, relay-rate = 1234, write-timeout = 7s }"),
                HoconAddMode.Prepend)
            .WithPeerExchange(o => o.WriteTimeout = TimeSpan.FromSeconds(9)));

        Assert.Equal("from-hocon", node.Exchange.NetworkId);
        Assert.Equal(1234, node.Exchange.Settings.RelayBytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(9), node.Exchange.Settings.WriteTimeout);
    }

    [Fact]
    public async Task Two_hosted_nodes_must_connect_over_tcp_and_close_every_session_and_actor_when_their_hosts_stop()
    {
        var hub = await HostedNode.StartAsync(akka => akka.WithPeerExchange("hosted-net", [AnyLoopbackPort]));
        var leaf = await HostedNode.StartAsync(akka => akka.WithPeerExchange("hosted-net", bootstrapPeers: [hub.ListenAddress]));

        await HostedNode.UntilAsync(() => hub.Exchange.Peers.Count == 1 && leaf.Exchange.Peers.Count == 1, "the two nodes to be peers");
        Assert.True(hub.Exchange.Peers[0].Incoming);
        Assert.False(leaf.Exchange.Peers[0].Incoming);
        var stats = await hub.Exchange.Actor.Ask<Actors.PxpExchange.Stats>(new Actors.PxpExchange.GetStats(), HostedNode.Patience);
        Assert.Equal(1, stats.Sessions);

        var leafStopped = leaf.Exchange.Actor.WatchAsync();
        var hubStopped = hub.Exchange.Actor.WatchAsync();
        await leaf.DisposeAsync();
        // The leaf closed its session in order: the hub saw the peer go without an error.
        await HostedNode.UntilAsync(() => hub.Exchange.Peers.Count == 0, "the hub to lose its peer");
        Assert.Null(Assert.Single(leaf.Removed).Reason);
        Assert.Null(Assert.Single(hub.Removed).Reason);
        Assert.Empty(hub.Errors);
        Assert.Empty(leaf.Errors);
        Assert.Equal(0, leaf.Exchange.Resources.Sockets.Open);
        Assert.True(leafStopped.IsCompleted);
        Assert.True(leaf.System.WhenTerminated.IsCompleted);

        await hub.DisposeAsync();
        Assert.Equal(0, hub.Exchange.Resources.Sockets.Open); // the listener and every accepted socket
        Assert.True(hubStopped.IsCompleted);
        await Assert.ThrowsAnyAsync<Exception>(() => new System.Net.Sockets.TcpClient().ConnectAsync("127.0.0.1", hub.ListenAddress.Port));
    }

    [Fact]
    public async Task A_hosted_node_must_take_its_bootstrap_peers_from_Akka_Discovery_config_method()
    {
        var hub = await HostedNode.StartAsync(akka => akka.WithPeerExchange("hosted-net", [AnyLoopbackPort]));
        var seeds = ConfigurationFactory.ParseString(
            $"akka.discovery.config.services.pxp-seeds.endpoints = [\"127.0.0.1:{hub.ListenAddress.Port}\"]");

        var leaf = await HostedNode.StartAsync(akka => akka
            .AddHocon(seeds, HoconAddMode.Prepend)
            .WithPeerExchange(o =>
            {
                o.NetworkId = "hosted-net";
                o.DiscoveryServiceName = "pxp-seeds";
                o.DiscoveryMethod = "config";
            }));

        await HostedNode.UntilAsync(() => hub.Exchange.Peers.Count == 1 && leaf.Exchange.Peers.Count == 1,
            "the leaf to connect to the peer discovery found");
        Assert.Equal("pxp-seeds", leaf.System.Settings.Config.GetString("pxp.discovery.service-name"));
        Assert.False(leaf.Exchange.Peers[0].Incoming);

        // Stopped with their hosts, as any hosted node: the session closed in order, nothing left open or running.
        var leafStopped = leaf.Exchange.Actor.WatchAsync();
        var hubStopped = hub.Exchange.Actor.WatchAsync();
        await leaf.DisposeAsync();
        await HostedNode.UntilAsync(() => hub.Exchange.Peers.Count == 0, "the hub to lose its peer");
        Assert.Null(Assert.Single(hub.Removed).Reason);
        Assert.Empty(leaf.Errors);
        Assert.Equal(0, leaf.Exchange.Resources.Sockets.Open);
        Assert.True(leafStopped.IsCompleted);
        Assert.True(leaf.System.WhenTerminated.IsCompleted);
        await hub.DisposeAsync();
        Assert.Equal(0, hub.Exchange.Resources.Sockets.Open);
        Assert.True(hubStopped.IsCompleted);
    }

    [Fact]
    public async Task A_candidate_source_in_the_options_must_answer_getpeers_for_the_hosted_node()
    {
        Actors.CandidateSource candidates = _ =>
            [new Actors.CustomCandidate(() => Task.FromResult(Akka.Streams.Dsl.Flow.Create<Akka.IO.ByteString>()))];
        await using var hub = await HostedNode.StartAsync(akka => akka.WithPeerExchange(o =>
        {
            o.NetworkId = "hosted-net";
            o.Listen = [AnyLoopbackPort];
            o.CandidateSource = candidates;
        }));
        await using var asker = new PeerExchange("hosted-net");

        var connection = await asker.ConnectAsync(hub.ListenAddress);
        var offered = Assert.Single(await asker.GetPeersAsync(connection.Peer!));
        Assert.True(offered.ConnectInfo is { Pxp: false, Relay: true }, offered.ToString());
    }

    [Fact]
    public async Task A_bootstrap_peer_that_is_down_must_not_stop_the_host_from_starting_or_stopping()
    {
        using var free = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        free.Start();
        var port = ((System.Net.IPEndPoint)free.LocalEndpoint).Port;
        free.Stop(); // nothing listens there now

        await using var node = await HostedNode.StartAsync(akka =>
            akka.WithPeerExchange("hosted-net", bootstrapPeers: [new Uri($"tcp://127.0.0.1:{port}")]));
        Assert.Empty(node.Exchange.Peers);
    }

    private const string IPAddressLoopback = "127.0.0.1";
}
