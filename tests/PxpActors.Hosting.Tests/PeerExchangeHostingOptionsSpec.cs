using Akka.Configuration;

namespace PxpActors.Hosting.Tests;

public sealed class PeerExchangeHostingOptionsSpec
{
    [Fact]
    public void Options_must_write_nothing_when_nothing_was_set()
    {
        Assert.Equal("", new PeerExchangeHostingOptions().ToHocon());
        Assert.False(new PeerExchangeHostingOptions().ToConfig().HasPath("pxp"));
    }

    [Fact]
    public void Options_must_write_only_the_keys_that_were_set()
    {
        var config = new PeerExchangeHostingOptions
        {
            AllowIncoming = false,
            RequestTimeout = TimeSpan.FromSeconds(3),
            Listen = [new Uri("tcp://127.0.0.1:0")],
        }.ToConfig();

        var pxp = config.GetConfig("pxp");
        Assert.Equal(["allow-incoming", "listen", "request-timeout"], pxp.AsEnumerable().Select(e => e.Key).Order());
        Assert.False(pxp.GetBoolean("allow-incoming"));
        Assert.Equal(TimeSpan.FromSeconds(3), pxp.GetTimeSpan("request-timeout"));
        Assert.Equal(["tcp://127.0.0.1:0"], pxp.GetStringList("listen"));
    }

    [Fact]
    public void Options_must_write_every_property_as_its_key()
    {
        var config = new PeerExchangeHostingOptions
        {
            NetworkId = "net \"quoted\"",
            AllowIncoming = true,
            RelayBytesPerSecond = 0,
            RequestTimeout = TimeSpan.FromMilliseconds(1500),
            HandshakeTimeout = TimeSpan.FromSeconds(2),
            WriteTimeout = TimeSpan.FromSeconds(4),
            MaxFramePayload = 4096,
            Listen = [new Uri("tcp://127.0.0.1:7000"), new Uri("tcp://[::1]:7001")],
            BootstrapPeers = [new Uri("tcp://10.0.0.7:7000")],
            DiscoveryServiceName = "seeds",
            DiscoveryMethod = "config",
            DiscoveryResolveTimeout = TimeSpan.FromSeconds(1),
        }.ToConfig();

        var settings = ExchangeSettingsFrom(config);
        Assert.Equal("net \"quoted\"", settings.NetworkId);
        Assert.True(settings.AllowIncoming);
        Assert.Equal(0, settings.RelayBytesPerSecond);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), settings.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.HandshakeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(4), settings.WriteTimeout);
        Assert.Equal(4096, settings.Multiplexer.MaxFramePayload);

        var hosted = HostedExchangeSettings.Create(config);
        Assert.Equal([new Uri("tcp://127.0.0.1:7000"), new Uri("tcp://[::1]:7001")], hosted.Listen);
        Assert.Equal([new Uri("tcp://10.0.0.7:7000")], hosted.BootstrapPeers);
        Assert.Equal("seeds", hosted.DiscoveryServiceName);
        Assert.Equal("config", hosted.DiscoveryMethod);
        Assert.Equal(TimeSpan.FromSeconds(1), hosted.DiscoveryResolveTimeout);
    }

    [Fact]
    public void Hosted_settings_must_default_to_nothing_to_start()
    {
        var hosted = HostedExchangeSettings.Create(Config.Empty);
        Assert.Empty(hosted.Listen);
        Assert.Empty(hosted.BootstrapPeers);
        Assert.Equal("", hosted.DiscoveryServiceName);
    }

    private static Actors.ExchangeSettings ExchangeSettingsFrom(Config config) => Actors.ExchangeSettings.Create(config);
}
