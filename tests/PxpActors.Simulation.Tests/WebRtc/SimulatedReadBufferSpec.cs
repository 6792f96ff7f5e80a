using System.Security.Cryptography;
using Akka.Configuration;

namespace PxpActors.Simulation.Tests.WebRtc;

/// <summary>
/// The simulation's nodes read upgraded sessions through a small buffer (a swarm holds thousands of idle ones), unless the
/// node's own config says otherwise; writes far larger than the buffer still arrive whole and in order.
/// </summary>
public sealed class SimulatedReadBufferSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_simulated_node_must_read_upgraded_sessions_through_a_small_buffer_unless_its_config_sets_one()
    {
        await using var sim = new Simulation(new SimulationOptions
        {
            Node = new PeerExchangeOptions { Config = ConfigurationFactory.ParseString("pxp.webrtc.upgrade-timeout = 15s") },
        });
        var plain = sim.AddNode();
        var own = sim.AddNode(options: new PeerExchangeOptions
        {
            Config = ConfigurationFactory.ParseString("pxp.webrtc.read-buffer-size = 32 KiB"),
        });

        Assert.Equal(1024, plain.Exchange.Settings.Upgrade.ReadBufferSize);
        Assert.Equal(TimeSpan.FromSeconds(15), plain.Exchange.Settings.Upgrade.Timeout); // the caller's config still applies
        Assert.Equal(32 * 1024, own.Exchange.Settings.Upgrade.ReadBufferSize);
    }

    [Fact]
    public async Task Writes_larger_than_the_read_buffer_must_cross_an_upgraded_session_whole()
    {
        await using var sim = new Simulation();
        var pair = await UpgradedPair.StartAsync(sim, Timeout);
        await using var toB = pair.AtA.OpenStream();
        await using var fromA = pair.AtB.OpenStream();

        // 300 KiB in writes of 100 KiB: each goes as frames of up to 64 KiB, far larger than b's 1 KiB read buffer.
        var sent = RandomNumberGenerator.GetBytes(300 * 1024);
        var writing = Task.Run(async () =>
        {
            for (var offset = 0; offset < sent.Length; offset += 100 * 1024)
                await toB.WriteAsync(sent.AsMemory(offset, 100 * 1024));
        });
        var received = new byte[sent.Length];
        await fromA.ReadExactlyAsync(received).AsTask().WaitAsync(Timeout);
        await writing.WaitAsync(Timeout);
        Assert.Equal(sent, received);
    }
}
