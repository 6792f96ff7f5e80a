using Akka.Configuration;
using PxpActors.Host.CommandLine;

namespace PxpActors.Tests.Host;

/// <summary>The command line and config files, parsed into what the node is given (no process: the values themselves).</summary>
public sealed class HostCommandLineSpec
{
    private static readonly Config Defaults = HostConfig.Defaults();

    [Fact]
    public void Peers_and_ice_servers_must_reach_the_node_config_as_hocon()
    {
        var options = Parse("--peers", "3", "--ice-server", "stun:127.0.0.1:3478", "--ice-server", "stun:[::1]:19302");
        var config = HostConfig.Create(options, Defaults);

        Assert.Equal(3, config.Node.GetInt("pxp.target-peers"));
        Assert.Equal(["stun:127.0.0.1:3478", "stun:[::1]:19302"], config.Node.GetStringList("pxp.webrtc.ice-servers"));
    }

    [Fact]
    public void Without_peers_or_ice_servers_the_node_config_must_not_set_them()
    {
        var config = HostConfig.Create(Parse(), Defaults);
        Assert.False(config.Node.HasPath("pxp.target-peers"));
        Assert.False(config.Node.HasPath("pxp.webrtc.ice-servers"));
    }

    [Fact]
    public void Defaults_must_be_the_embedded_host_conf_and_the_command_line_must_win_over_it()
    {
        var byDefault = HostConfig.Create(Parse(), Defaults);
        Assert.Equal("pxp-demo", byDefault.Network);
        Assert.Equal([new Uri("tcp://127.0.0.1:7000")], byDefault.Listen);
        Assert.Equal("pxp-demo", byDefault.Node.GetString("pxp.network-id"));
        Assert.False(byDefault.Node.HasPath("pxp.allow-incoming")); // the node's own default (on) applies

        var given = HostConfig.Create(Parse("--network", "n", "--listen", "ws://0.0.0.0:0/pxp", "--connect", "wss://10.0.0.7:443/pxp",
            "--no-incoming", "--status", "0"), Defaults);
        Assert.Equal("n", given.Node.GetString("pxp.network-id"));
        Assert.Equal([new Uri("ws://0.0.0.0:0/pxp")], given.Listen);
        Assert.Equal([new Uri("wss://10.0.0.7:443/pxp")], given.Connect);
        Assert.False(given.Node.GetBoolean("pxp.allow-incoming"));
    }

    [Fact]
    public void Status_and_metrics_must_be_read_as_given()
    {
        var options = Parse("--status", "3", "--metrics", "http://127.0.0.1:9464/metrics", "--json", "--echo", "--send", "hi");
        Assert.Equal(TimeSpan.FromSeconds(3), options.Status);
        Assert.Equal(new Uri("http://127.0.0.1:9464/metrics"), options.Metrics);
        Assert.True(options.Json);
        Assert.True(options.Echo);
        Assert.Equal("hi", options.Send);
        Assert.Equal(TimeSpan.FromSeconds(10), Parse().Status);
    }

    private static HostOptions Parse(params string[] args) => new HostCommandLine().Parse(args, TextWriter.Null)!;
}
