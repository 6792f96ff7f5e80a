using Akka.Actor;
using Akka.Configuration;

namespace PxpActors.Tests.Facade;

public sealed class PeerExchangeConfigSpec
{
    private static readonly Config SystemConfig = ConfigurationFactory.ParseString(
        "pxp { network-id = from-system, request-timeout = 4s, relay-rate = 1000, multiplexer.max-frame-payload = 8 KiB }");

    [Fact]
    public async Task An_exchange_in_an_application_system_must_honour_the_systems_pxp_config()
    {
        using var system = ActorSystem.Create("app", SystemConfig);
        await using var exchange = new PeerExchange("explicit-net", system: system);

        Assert.Equal("explicit-net", exchange.NetworkId); // the argument wins over pxp.network-id
        Assert.Equal(TimeSpan.FromSeconds(4), exchange.Settings.RequestTimeout);
        Assert.Equal(1000, exchange.Settings.RelayBytesPerSecond);
        Assert.Equal(8192, exchange.Settings.Multiplexer.MaxFramePayload);
    }

    [Fact]
    public async Task Options_must_win_over_their_Config_and_that_over_the_systems()
    {
        using var system = ActorSystem.Create("app", SystemConfig);
        var options = new PeerExchangeOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(2),
            Config = ConfigurationFactory.ParseString("pxp { request-timeout = 3s, relay-rate = 2000 }"),
        };
        await using var exchange = new PeerExchange(system, options);

        Assert.Equal("from-system", exchange.NetworkId);
        Assert.Equal(TimeSpan.FromSeconds(2), exchange.Settings.RequestTimeout);
        Assert.Equal(2000, exchange.Settings.RelayBytesPerSecond);
        Assert.Equal(8192, exchange.Settings.Multiplexer.MaxFramePayload);
    }

    [Fact]
    public async Task An_exchange_in_a_system_of_its_own_must_log_at_WARNING_unless_its_Config_says_otherwise()
    {
        await using var quiet = new PeerExchange("net");
        await using var chatty = new PeerExchange("net", new PeerExchangeOptions { Config = ConfigurationFactory.ParseString("akka.loglevel = DEBUG") });

        Assert.Equal(Akka.Event.LogLevel.WarningLevel, Akka.Event.Logging.LogLevelFor(SystemOf(quiet).Settings.LogLevel));
        Assert.Equal(Akka.Event.LogLevel.DebugLevel, Akka.Event.Logging.LogLevelFor(SystemOf(chatty).Settings.LogLevel));
    }

    private static ActorSystem SystemOf(PeerExchange exchange) => ((Akka.Streams.ActorMaterializer)exchange.Materializer).System;

    [Fact]
    public async Task Closing_must_be_one_close_however_many_callers_wait_for_it()
    {
        var exchange = new PeerExchange("net");
        var address = await exchange.ListenAsync(new Uri("tcp://127.0.0.1:0"));
        Assert.Equal([address], exchange.ListenAddresses);

        var first = exchange.CloseAsync();
        Assert.Same(first, exchange.CloseAsync());
        await exchange.DisposeAsync();
        Assert.True(first.IsCompletedSuccessfully);
        await Assert.ThrowsAsync<InvalidOperationException>(() => exchange.ListenAsync(new Uri("tcp://127.0.0.1:0")));
    }
}
