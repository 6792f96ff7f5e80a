using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.RegularExpressions;
using Akka.Configuration;
using PxpActors.Actors;
using PxpActors.Diagnostics;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.Tests.Support;
using PxpActors.TestSupport.Raw;

namespace PxpActors.Tests.Diagnostics;

public sealed class PxpMetricsSpec
{
    [Fact]
    public async Task Every_instrument_of_the_PxpActors_Meter_must_move_when_a_node_works()
    {
        var seen = new ConcurrentDictionary<string, ConcurrentQueue<(double Value, Dictionary<string, object?> Tags)>>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PxpMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            seen.GetOrAdd(instrument.Name, _ => new()).Enqueue((value, new Dictionary<string, object?>(tags.ToArray())));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();

        // Sessions, handshakes, requests both ways, a relay through the hub, getNewPeer.
        await using (var triangle = await RelayTriangle.StartAsync())
        {
            var (hub, viaHub) = (triangle.Hub, triangle.ViaHub);
            await triangle.A.Exchange.RelayAsync(viaHub, await triangle.CandidateAsync());
            // B's getNewPeer: the hub's one candidate is A, which B reaches over WebRTC; then a failed one (A is taken).
            await triangle.B.Exchange.GetNewPeerAsync();
            await Assert.ThrowsAsync<PxpRequestException>(() => triangle.B.Exchange.GetNewPeerAsync());
            // A nested session over a relay through the hub, with bytes both ways.
            var nested = await triangle.A.Exchange.ConnectAsync(await triangle.A.Exchange.RelayAsync(viaHub, await triangle.CandidateAsync()));
            var atB = await triangle.B.NextConnectionAsync(c => c.Peer?.Relayed == true);
            await using (var streamA = nested.OpenStream())
            await using (var streamB = atB.OpenStream())
            {
                await streamA.WriteAsync("ping"u8.ToArray());
                await streamB.ReadExactlyAsync(new byte[4]);
            }

            // A peer that breaks the protocol.
            await using var rude = await RawPxpPeer.ConnectAsync(hub.Address);
            await rude.StartSessionAsync("test");
            await rude.ReceiveAsync<Hello>();
            await hub.NextPeerAddedAsync(p => p.Transport == "tcp" && p.Id != viaHub.Id);
            await rude.SendRpcAsync(new Response("no-such-request", Replies.Ok));
            await rude.WaitClosedAsync();
        }
        // A claim the budget refuses.
        await using (var full = await TestNode.StartAsync("test", new PeerExchangeOptions
                     {
                         Config = ConfigurationFactory.ParseString("pxp.limits.max-pending-handshakes = 0"),
                     }))
        await using (var client = await TestNode.StartAsync())
        {
            await Assert.ThrowsAnyAsync<Exception>(() => client.Exchange.ConnectAsync(full.Address));
        }

        var instruments = typeof(PxpMetrics).GetFields(BindingFlags.Static | BindingFlags.NonPublic)
            .Where(f => f.FieldType.IsAssignableTo(typeof(Instrument)))
            .Select(f => ((Instrument)f.GetValue(null)!).Name)
            .ToList();
        // The README's Metrics section names every instrument, and no other.
        var readme = RepositoryFiles.ReadAllText("README.md");
        var metrics = readme[readme.IndexOf("## Metrics", StringComparison.Ordinal)..];
        metrics = metrics[..metrics.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        var documented = Regex.Matches(metrics, @"`(pxp\.[a-z.]+)`").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(documented.Order(), instruments.Order());
        Assert.Empty(instruments.Where(name => !seen.ContainsKey(name)).Select(name => "never moved: " + name));

        Assert.Contains(seen["pxp.sessions"], m => m.Value == 1 && Equals(m.Tags["transport"], "tcp") && Equals(m.Tags["direction"], "incoming"));
        Assert.Contains(seen["pxp.sessions"], m => m.Value == -1);
        Assert.Contains(seen["pxp.handshakes"], m => Equals(m.Tags["outcome"], "ok"));
        Assert.Contains(seen["pxp.requests"], m => Equals(m.Tags["command"], "getpeers") && Equals(m.Tags["direction"], "out") && Equals(m.Tags["outcome"], "ok"));
        Assert.Contains(seen["pxp.requests"], m => Equals(m.Tags["command"], "getpeers") && Equals(m.Tags["direction"], "in"));
        Assert.Contains(seen["pxp.requests"], m => Equals(m.Tags["command"], "relay") && Equals(m.Tags["outcome"], "ok"));
        Assert.Contains(seen["pxp.relays.open"], m => m.Value == 1);
        Assert.Contains(seen["pxp.session.errors"], m => Equals(m.Tags["kind"], "PxpProtocolException"));
        Assert.Contains(seen["pxp.refusals"], m => Equals(m.Tags["limit"], "pending-handshakes"));
        Assert.Contains(seen["pxp.getnewpeer"], m => Equals(m.Tags["outcome"], "failed"));
        Assert.Contains(seen["pxp.getnewpeer"], m => Equals(m.Tags["outcome"], "ok"));
        Assert.All(seen["pxp.handshake.duration"], m => Assert.True(m.Value >= 0));
        foreach (var bytes in new[] { "pxp.bytes.received", "pxp.bytes.sent" })
        {
            Assert.Contains(seen[bytes], m => m.Value > 0 && Equals(m.Tags["transport"], "tcp"));
            Assert.Contains(seen[bytes], m => m.Value > 0 && Equals(m.Tags["transport"], "relay"));
            Assert.Contains(seen[bytes], m => m.Value > 0 && Equals(m.Tags["transport"], "webrtc"));
        }
        Assert.Contains(seen["pxp.relay.bytes"], m => m.Value > 0 && Equals(m.Tags["direction"], "to-candidate"));
        Assert.Contains(seen["pxp.relay.bytes"], m => m.Value > 0 && Equals(m.Tags["direction"], "to-asker"));
    }
}
