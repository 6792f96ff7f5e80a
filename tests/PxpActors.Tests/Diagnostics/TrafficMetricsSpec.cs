using System.Security.Cryptography;
using PxpActors.Transports;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Diagnostics;

/// <summary>Alone: the byte totals it compares are the process's, which other tests' sessions would add to.</summary>
[CollectionDefinition(nameof(QuietMeter), DisableParallelization = true)]
public sealed class QuietMeter;

/// <summary>
/// The byte instruments count every byte once per transport: with every session in this process, what one end counts as
/// sent the other counts as received, and what the hub counts as relayed is what the relayed session's ends sent.
/// </summary>
[Collection(nameof(QuietMeter))]
public sealed class TrafficMetricsSpec
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(50_000, false)] // the hub's throttled relay graph; the nested session over the relay connection at both ends
    [InlineData(0, false)]      // the hub relays channel to channel
    [InlineData(0, true)]       // A runs its nested session over the relay connection's Flow
    public async Task Bytes_sent_received_and_relayed_must_add_up_across_a_relayed_session(int hubRelayRate, bool overFlow)
    {
        using var totals = new MeterTotals();
        await using var hub = await TestNode.StartAsync("test", new PeerExchangeOptions { RelayBytesPerSecond = hubRelayRate });
        await using var a = await TestNode.StartAsync();
        await using var b = await TestNode.StartAsync();
        await a.Exchange.ConnectAsync(hub.Address);
        await b.Exchange.ConnectAsync(hub.Address);
        var viaHub = a.Exchange.Peers[0];
        var relay = await a.Exchange.RelayAsync(viaHub, Assert.Single(await a.Exchange.GetPeersAsync(viaHub)));
        var nested = overFlow ? await a.Exchange.ConnectAsync(relay.Flow, "metered-flow") : await a.Exchange.ConnectAsync(relay);
        var atB = await b.NextConnectionAsync(c => c.Peer?.Relayed == true);

        var payload = RandomNumberGenerator.GetBytes(hubRelayRate > 0 ? 20_000 : 1_000_000);
        await using (var streamA = nested.OpenStream())
        await using (var streamB = atB.OpenStream())
        {
            var writing = streamA.WriteAsync(payload).AsTask();
            Assert.Equal(payload, await streamB.ReadExactlyAsync(payload.Length));
            await writing;
            await streamB.WriteAsync("back"u8.ToArray());
            await streamA.ReadExactlyAsync(new byte[4]);
        }

        // The relayed session's two ends (under relay, or A's under the flow's name) and the hub between them.
        long Sent(string transport) => totals["pxp.bytes.sent", transport];
        long Received(string transport) => totals["pxp.bytes.received", transport];
        long Relayed(string direction) => totals["pxp.relay.bytes", direction];
        long EndsSent() => Sent("relay") + (overFlow ? Sent("metered-flow") : 0);
        long EndsReceived() => Received("relay") + (overFlow ? Received("metered-flow") : 0);
        long HubRelayed() => Relayed("to-candidate") + Relayed("to-asker");
        await Condition.UntilAsync(() =>
                Sent("tcp") == Received("tcp") && EndsSent() == HubRelayed() && EndsReceived() == HubRelayed()
                && (!overFlow || (Sent("metered-flow") == Relayed("to-candidate") && Received("relay") == Relayed("to-candidate")
                    && Sent("relay") == Relayed("to-asker") && Received("metered-flow") == Relayed("to-asker"))),
            $"Totals that do not add up: tcp sent {Sent("tcp")}, received {Received("tcp")}; relay sent {Sent("relay")}, " +
            $"received {Received("relay")}; flow sent {Sent("metered-flow")}, received {Received("metered-flow")}; " +
            $"relayed to the candidate {Relayed("to-candidate")}, to the asker {Relayed("to-asker")}",
            Timeout);

        // Every relayed byte crossed two TCP sessions; the payload went once through the relay, headers and all.
        Assert.InRange(Relayed("to-candidate"), payload.Length, payload.Length * 11L / 10);
        Assert.True(Received("tcp") >= 2 * HubRelayed(), $"tcp received {Received("tcp")}, relayed {HubRelayed()}");
    }

    [Fact]
    public async Task Bytes_over_a_stream_transport_must_be_counted_under_its_name_on_both_ends()
    {
        using var totals = new MeterTotals();
        var (one, other) = InMemoryDuplexStream.CreatePair();
        await using var a = await TestNode.StartAsync();
        await using var b = await TestNode.StartAsync();
        var outgoing = a.Exchange.ConnectAsync(one, "metered-memory");
        var incoming = b.Exchange.AcceptAsync(other, "metered-memory");
        await using (var streamA = (await outgoing).OpenStream())
        await using (var streamB = (await incoming).OpenStream())
        {
            await streamA.WriteAsync(new byte[100_000]);
            await streamB.ReadExactlyAsync(new byte[100_000]);
        }

        await Condition.UntilAsync(() => totals["pxp.bytes.sent", "metered-memory"] == totals["pxp.bytes.received", "metered-memory"],
            $"sent {totals["pxp.bytes.sent", "metered-memory"]}, received {totals["pxp.bytes.received", "metered-memory"]}", Timeout);
        Assert.InRange(totals["pxp.bytes.sent", "metered-memory"], 100_000, 110_000);
    }
}
