using System.Text;
using Akka.Configuration;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Actors;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Hostile;

/// <summary>
/// Each limit of the node's budget (pxp.limits) over real sockets, beside a healthy peer: past a limit the newest
/// claimant is refused with a clear error, the refusal is counted, and the healthy peer carries on.
/// </summary>
public sealed class ResourceBudgetSpec
{
    [Fact]
    public async Task Node_must_refuse_connections_past_max_connections()
    {
        await using var fixture = await Fixture.StartAsync("pxp.limits.max-connections = 3");
        var admitted = await ConnectIdleAsync(fixture, 2);
        await fixture.Node.WaitForStatsAsync(s => s.Resources.Connections == 3, "three connections");
        var refused = await ConnectIdleAsync(fixture, 3);

        foreach (var peer in refused) await peer.WaitClosedAsync();
        await fixture.Node.WaitForStatsAsync(s => s.Resources.Connections == 3, "three connections");
        Assert.Equal(3, (await fixture.Node.StatsAsync()).Resources.Refusals["connections"]);
        await fixture.AssertHealthyAsync();

        await DisposeAllAsync(admitted.Concat(refused));
        await fixture.Node.WaitForStatsAsync(s => s.Resources is { Connections: 1, PendingHandshakes: 0 }, "the healthy peer only");
    }

    [Fact]
    public async Task A_session_over_a_flow_refused_at_max_connections_must_have_its_flow_run_empty_so_it_can_close()
    {
        await using var fixture = await Fixture.StartAsync("pxp.limits.max-connections = 1"); // the healthy peer holds it
        var ended = new TaskCompletionSource();
        var flow = Flow.FromSinkAndSource(
            Sink.OnComplete<ByteString>(() => ended.TrySetResult(), e => ended.TrySetException(e)), Source.Never<ByteString>());

        var error = await Assert.ThrowsAsync<PxpRequestException>(() => fixture.Node.Exchange.ConnectAsync(flow));
        Assert.Equal("Refused: this node has its limit of 1 connections (pxp.limits)", error.Message);
        await ended.Task.WaitAsync(TimeSpan.FromSeconds(10)); // what the flow stands for learns it will carry nothing
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task Node_must_refuse_incoming_connections_past_max_connections_per_address()
    {
        await using var fixture = await Fixture.StartAsync(
            "pxp.limits { max-connections-per-address = 3, exempt-loopback = off }");
        var admitted = await ConnectIdleAsync(fixture, 2); // with the healthy peer: three from 127.0.0.1
        await fixture.Node.WaitForStatsAsync(s => s.Resources.Connections == 3, "three connections");
        var refused = await ConnectIdleAsync(fixture, 1);

        await refused[0].WaitClosedAsync();
        Assert.Equal(1, (await fixture.Node.StatsAsync()).Resources.Refusals["connections-per-address"]);
        await fixture.AssertHealthyAsync();

        // A connection closed frees its address's slot.
        await admitted[0].DisposeAsync();
        await fixture.Node.WaitForStatsAsync(s => s.Resources.Connections == 2, "two connections");
        await using var again = await RawPxpPeer.ConnectAsync(fixture.Node.Address);
        await again.StartSessionAsync("test");
        await fixture.Node.WaitForStatsAsync(s => s.ReadyPeers == 2, "the new peer ready");
        await DisposeAllAsync(admitted.Skip(1).Concat(refused));
    }

    [Fact]
    public async Task Node_must_refuse_sessions_past_max_pending_handshakes()
    {
        await using var fixture = await Fixture.StartAsync("pxp.limits.max-pending-handshakes = 2");
        var silent = await ConnectIdleAsync(fixture, 2);
        await fixture.Node.WaitForStatsAsync(s => s.Resources.PendingHandshakes == 2, "two handshakes pending");
        var refused = await ConnectIdleAsync(fixture, 1);

        await refused[0].WaitClosedAsync();
        Assert.Equal(1, (await fixture.Node.StatsAsync()).Resources.Refusals["pending-handshakes"]);
        // One of them says hello: a handshake slot is free again.
        await silent[0].StartSessionAsync("test");
        await fixture.Node.WaitForStatsAsync(s => s.Resources.PendingHandshakes == 1, "one handshake pending");
        await using var next = await RawPxpPeer.ConnectAsync(fixture.Node.Address);
        await next.StartSessionAsync("test");
        await fixture.Node.WaitForStatsAsync(s => s.ReadyPeers == 3, "the next peer ready");
        await fixture.AssertHealthyAsync();
        await DisposeAllAsync(silent.Concat(refused));
    }

    [Fact]
    public async Task A_session_holding_more_unread_bytes_than_its_budget_must_close_alone()
    {
        await using var fixture = await Fixture.StartAsync("pxp.multiplexer.session-buffer = 1 MiB");
        await using var attacker = await fixture.JoinAsync();
        using var refusals = new RefusalMeter("session-buffer");

        // Substreams nobody claims, each filled to just under its own bound: only the session's budget stops them.
        var sending = FillUnclaimedSubstreamsAsync(attacker, substreams: 64, bytesEach: 255 * 1024);
        var error = await fixture.Node.NextPeerErrorAsync();
        Assert.StartsWith("Peer sent ", error.Message);
        Assert.EndsWith("bytes that are not read yet, past this session's limit of 1048576", error.Message);
        await attacker.WaitClosedAsync();
        await IgnoreClosedAsync(sending);

        await fixture.Node.WaitForStatsAsync(s => s.Resources is { BufferedBytes: 0, Connections: 1 }, "nothing held, the healthy peer only");
        Assert.Equal(1, (await fixture.Node.StatsAsync()).Resources.Refusals["session-buffer"]);
        Assert.True(refusals.Count >= 1, "the refusal is not in the PxpActors Meter");
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_session_taking_the_node_past_its_buffer_budget_must_close_and_the_node_must_hold_no_more()
    {
        await using var fixture = await Fixture.StartAsync("pxp.limits.node-buffer = 2 MiB");
        await using var first = await fixture.JoinAsync();
        await using var second = await fixture.JoinAsync();

        // The first holds 1.5 MiB and stays; the second's data takes the node past 2 MiB: the second is refused.
        await FillUnclaimedSubstreamsAsync(first, substreams: 6, bytesEach: 255 * 1024);
        await fixture.Node.WaitForStatsAsync(s => s.Resources.BufferedBytes == 6 * 255 * 1024, "the first attacker's bytes held");
        var sending = FillUnclaimedSubstreamsAsync(second, substreams: 6, bytesEach: 255 * 1024);
        var error = await fixture.Node.NextPeerErrorAsync();
        Assert.StartsWith("This node holds its limit of 2097152 received bytes not read yet", error.Message);
        await second.WaitClosedAsync();
        await IgnoreClosedAsync(sending);

        var stats = await fixture.Node.StatsAsync();
        Assert.Equal(6 * 255 * 1024, stats.Resources.BufferedBytes);
        Assert.Equal(1, stats.Resources.Refusals["node-buffer"]);
        await fixture.AssertHealthyAsync();
        await first.DisposeAsync();
        await fixture.Node.WaitForStatsAsync(s => s.Resources.BufferedBytes == 0, "nothing held once the first is gone");
    }

    [Fact]
    public async Task A_peer_must_not_open_substreams_past_the_node_wide_limit()
    {
        await using var fixture = await Fixture.StartAsync("pxp.limits.max-substreams = 8");
        await using var attacker = await fixture.JoinAsync();
        var held = (await fixture.Node.StatsAsync()).Resources.Substreams;

        // One write: the node closes the connection at the open that crosses the limit, and later writes would fail.
        var opens = Enumerable.Range(1, 8)
            .SelectMany(channel => new Frame((uint)channel, FrameType.Open, Encoding.UTF8.GetBytes($"unclaimed-{channel}")).ToArray())
            .ToArray();
        await attacker.SendAsync(opens);
        Assert.StartsWith("Peer opened a substream past this node's limit of 8 substreams", (await fixture.Node.NextPeerErrorAsync()).Message);
        await attacker.WaitClosedAsync();
        Assert.Equal(1, (await fixture.Node.StatsAsync()).Resources.Refusals["substreams"]);
        await fixture.Node.WaitForStatsAsync(s => s.Resources.Substreams < held, "the attacker's substreams released");
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task A_hub_must_not_carry_more_relayed_sessions_to_us_than_max_incoming_relays_per_peer()
    {
        await using var fixture = await Fixture.StartAsync("pxp.limits.max-incoming-relays-per-peer = 3");
        await using var hub = await fixture.JoinAsync();
        for (var i = 0; i < 5; i++) await hub.SendRpcAsync(new Incoming($"i{i}", $"relay{i}"));

        var errors = new List<string?>();
        for (var i = 0; i < 5; i++)
            errors.Add(Replies.ReadStatus((await hub.ReceiveAsync<Response>(r => r.Nonce.StartsWith('i'))).Args).Error);
        Assert.Equal(3, errors.Count(e => e is null));
        Assert.All(errors.Where(e => e is not null), e =>
            Assert.Equal("Refused: this peer carries its limit of 3 relayed sessions to us (pxp.limits)", e));
        await fixture.Node.WaitForStatsAsync(s => s.Resources.RelayedSessions == 3 && s.Resources.Refusals.GetValueOrDefault("incoming-relays-per-peer") == 2,
            "three relayed sessions, two refused");
        await fixture.AssertHealthyAsync();

        // The hub goes: the sessions it carried end, and nothing of theirs is left.
        await hub.DisposeAsync();
        await fixture.Node.WaitForStatsAsync(s => s.Resources is { RelayedSessions: 0, Connections: 1 }, "the healthy peer only");
    }

    [Fact]
    public async Task Hub_must_refuse_relays_past_max_relays_across_its_peers()
    {
        await using var fixture = await Fixture.StartAsync("pxp.limits.max-relays = 1");
        await using var candidate = await fixture.JoinAsync();
        // The askers do not accept incoming: the candidate is the only one offered to them (the healthy peer neither).
        await using var first = await fixture.JoinAsync(acceptsIncoming: false);
        await using var second = await fixture.JoinAsync(acceptsIncoming: false);

        await first.SendRpcAsync(new Relay("r", await CandidateIdAsync(first)));
        var incoming = await candidate.ReceiveAsync<Incoming>();
        await candidate.SendRpcAsync(new Response(incoming.Nonce, Replies.Ok));
        Assert.Null(Replies.ReadStatus((await first.ReceiveAsync<Response>(r => r.Nonce == "r")).Args).Error);

        await second.SendRpcAsync(new Relay("r", await CandidateIdAsync(second)));
        var refused = await second.ReceiveAsync<Response>(r => r.Nonce == "r");
        Assert.Equal("Refused: this node relays its limit of 1 relays (pxp.limits)", Replies.ReadStatus(refused.Args).Error);
        Assert.Equal(1, (await fixture.Node.StatsAsync()).Resources.Refusals["relays"]);

        // The first relay ends with its asker: the node may relay again.
        await first.DisposeAsync();
        await fixture.Node.WaitForStatsAsync(s => s.Resources.Relays == 0, "no relay");
        await second.SendRpcAsync(new Relay("again", await CandidateIdAsync(second)));
        var next = await candidate.ReceiveAsync<Incoming>();
        await candidate.SendRpcAsync(new Response(next.Nonce, Replies.Ok));
        Assert.Null(Replies.ReadStatus((await second.ReceiveAsync<Response>(r => r.Nonce == "again")).Args).Error);
    }

    private static async Task<string> CandidateIdAsync(RawPxpPeer asker)
    {
        var nonce = asker.NextNonce();
        await asker.SendRpcAsync(new GetPeers(nonce, "test"));
        var reply = await asker.ReceiveAsync<Response>(r => r.Nonce == nonce);
        return Assert.Single(Replies.ReadCandidates(reply.Args).Value!).Id;
    }

    private static async Task FillUnclaimedSubstreamsAsync(RawPxpPeer peer, int substreams, int bytesEach)
    {
        var chunk = new byte[51 * 1024];
        for (uint channel = 1; channel <= substreams; channel++)
        {
            await peer.SendFrameAsync(channel, FrameType.Open, Encoding.UTF8.GetBytes($"unclaimed-{channel}"));
            for (var sent = 0; sent < bytesEach; sent += chunk.Length)
                await peer.SendFrameAsync(channel, FrameType.DataFromCreator, chunk.AsMemory(0, Math.Min(chunk.Length, bytesEach - sent)));
        }
    }

    /// <summary>The node closes an attacker mid-send: its writes may fail then, which is the point.</summary>
    private static async Task IgnoreClosedAsync(Task sending)
    {
        try
        {
            await sending;
        }
        catch (IOException)
        {
        }
    }

    private static async Task<List<RawPxpPeer>> ConnectIdleAsync(Fixture fixture, int count)
    {
        var peers = new List<RawPxpPeer>();
        for (var i = 0; i < count; i++) peers.Add(await RawPxpPeer.ConnectAsync(fixture.Node.Address));
        return peers;
    }

    private static async Task DisposeAllAsync(IEnumerable<RawPxpPeer> peers)
    {
        foreach (var peer in peers) await peer.DisposeAsync();
    }

    /// <summary>Counts pxp.refusals of one limit in the PxpActors Meter while it lives.</summary>
    private sealed class RefusalMeter : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private long _count;

        public RefusalMeter(string limit)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "PxpActors" && instrument.Name == "pxp.refusals") listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                    if (tag is { Key: "limit", Value: string name } && name == limit) Interlocked.Add(ref _count, value);
            });
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>A node with the given limits, and a healthy peer connected to it with an application stream open.</summary>
    private sealed class Fixture : IAsyncDisposable
    {
        private readonly TestNode _healthy;
        private readonly Stream _atNode;
        private readonly Stream _atPeer;

        private Fixture(TestNode node, TestNode healthy, Stream atNode, Stream atPeer)
        {
            Node = node;
            _healthy = healthy;
            _atNode = atNode;
            _atPeer = atPeer;
        }

        public TestNode Node { get; }

        public static async Task<Fixture> StartAsync(string limits)
        {
            var node = await TestNode.StartAsync("test", new PeerExchangeOptions { Config = ConfigurationFactory.ParseString(limits) });
            // Not offered as a candidate: relay tests pick the one peer that is.
            var healthy = await TestNode.StartAsync("test", new PeerExchangeOptions { AllowIncoming = false });
            var outgoing = await healthy.Exchange.ConnectAsync(node.Address);
            var atPeer = outgoing.OpenStream();
            var atNode = (await node.NextConnectionAsync()).OpenStream();
            await node.NextPeerAddedAsync();
            return new Fixture(node, healthy, atNode, atPeer);
        }

        /// <summary>A raw peer that has finished its handshake with the node.</summary>
        public async Task<RawPxpPeer> JoinAsync(bool acceptsIncoming = true)
        {
            var peer = await RawPxpPeer.ConnectAsync(Node.Address);
            await peer.StartSessionAsync("test", acceptsIncoming: acceptsIncoming);
            await Node.NextPeerAddedAsync();
            return peer;
        }

        /// <summary>The healthy peer's application stream still carries data both ways.</summary>
        public async Task AssertHealthyAsync()
        {
            await _atPeer.WriteAsync("ping"u8.ToArray());
            Assert.Equal("ping", Encoding.UTF8.GetString(await _atNode.ReadExactlyAsync(4)));
            await _atNode.WriteAsync("pong"u8.ToArray());
            Assert.Equal("pong", Encoding.UTF8.GetString(await _atPeer.ReadExactlyAsync(4)));
        }

        public async ValueTask DisposeAsync()
        {
            await _atPeer.DisposeAsync();
            await _atNode.DisposeAsync();
            await _healthy.DisposeAsync();
            await Node.DisposeAsync();
        }
    }
}
