using System.Security.Cryptography;
using System.Text;
using Akka.Configuration;
using Akka.IO;
using Akka.Streams.Dsl;
using PxpActors.Actors;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Conformance;

/// <summary>
/// The reference's relay cases (pxp test/peer.js "relay") and what it never tested: throttle,
/// candidate expiry, a candidate that does not answer, close with live relays.
/// </summary>
public sealed class RelaySpec
{
    [Fact]
    public async Task Hub_must_answer_relay_to_an_unknown_candidate_with_an_error_and_keep_the_session()
    {
        await using var hub = await TestNode.StartAsync();
        await using var peer = await RawPxpPeer.ConnectAsync(hub.Address);
        await peer.StartSessionAsync("test");
        await peer.SendRpcAsync(new Relay("1", "foo"));

        var reply = await peer.ReceiveAsync<Response>(r => r.Nonce == "1");
        Assert.Equal("Peer requested unknown candidate: id=foo", Replies.ReadStatus(reply.Args).Error);
        await peer.SendRpcAsync(new GetPeers("2", "test"));
        Assert.True(Replies.ReadCandidates((await peer.ReceiveAsync<Response>(r => r.Nonce == "2")).Args).IsSuccess);
    }

    [Theory]
    [InlineData(50_000)] // throttled: the substreams relayed channel to channel, paced
    [InlineData(0)]      // unthrottled: the substreams relayed channel to channel
    public async Task Relay_to_a_peer_candidate_must_carry_a_nested_pxp_session_between_two_nodes(int hubRelayRate)
    {
        await using var hub = await TestNode.StartAsync("test", new PeerExchangeOptions { RelayBytesPerSecond = hubRelayRate });
        await using var a = await TestNode.StartAsync();
        await using var b = await TestNode.StartAsync();
        await a.Exchange.ConnectAsync(hub.Address);
        await b.Exchange.ConnectAsync(hub.Address);

        var viaHub = a.Exchange.Peers[0];
        var candidate = Assert.Single(await a.Exchange.GetPeersAsync(viaHub));
        var relay = await a.Exchange.RelayAsync(viaHub, candidate);
        var nested = await a.Exchange.ConnectAsync(relay.Flow, "relay");

        var relayedAtB = await b.NextPeerAddedAsync(p => p.Relayed);
        Assert.True(relayedAtB.Incoming);
        var atB = await b.NextConnectionAsync(c => c.Peer?.Relayed == true);
        await using var streamA = nested.OpenStream();
        await using var streamB = atB.OpenStream();
        await streamA.WriteAsync("through the hub"u8.ToArray());
        Assert.Equal("through the hub", Encoding.UTF8.GetString(await streamB.ReadExactlyAsync(15)));
        await streamB.WriteAsync("and back"u8.ToArray());
        Assert.Equal("and back", Encoding.UTF8.GetString(await streamA.ReadExactlyAsync(8)));

        // A leaves: the hub ends its relay toward B, and B's nested session ends with it.
        await a.Exchange.CloseAsync();
        Assert.True((await b.NextPeerRemovedAsync()).Relayed);
        // The hub keeps B's session and its stream only: the relay between them is gone.
        await hub.WaitForStatsAsync(s => s is { Sessions: 1, Streams: 1 }, "one session with one stream");
    }

    [Theory]
    [InlineData(false)] // over the relayed stream's Flow: a generic transport
    [InlineData(true)]  // over the relayed connection itself: nested frames written straight into the relay substream
    public async Task A_nested_session_through_an_unthrottled_hub_must_carry_megabytes_both_ways_intact(bool overTheConnection)
    {
        await using var hub = await TestNode.StartAsync("test", new PeerExchangeOptions { RelayBytesPerSecond = 0 });
        await using var a = await TestNode.StartAsync();
        await using var b = await TestNode.StartAsync();
        var streams = await NestedStreamsThroughAsync(hub, a, b, overTheConnection);
        await using var streamA = streams.AtA;
        await using var streamB = streams.AtB;
        // Every chunk on the way lives in a pooled or reused buffer at some point: any reuse too early shows here.
        var fromA = RandomBytes(1, 4 * 1024 * 1024);
        var fromB = RandomBytes(2, 3 * 1024 * 1024);

        var received = Task.WhenAll(streamB.ReadExactlyAsync(fromA.Length), streamA.ReadExactlyAsync(fromB.Length));
        await Task.WhenAll(WriteInPiecesAsync(streamA, fromA), WriteInPiecesAsync(streamB, fromB));
        var (atBBytes, atABytes) = (await received.WaitAsync(TimeSpan.FromSeconds(60))) switch { var r => (r[0], r[1]) };

        Assert.Equal(SHA256.HashData(fromA), SHA256.HashData(atBBytes));
        Assert.Equal(SHA256.HashData(fromB), SHA256.HashData(atABytes));
    }

    /// <summary>
    /// A and B join the hub; A relays to B through it and runs a nested session over the relayed Flow, or over the relayed
    /// connection itself. Returns the application streams of that session at A and at B.
    /// </summary>
    private static async Task<(Stream AtA, Stream AtB)> NestedStreamsThroughAsync(TestNode hub, TestNode a, TestNode b, bool overTheConnection)
    {
        await a.Exchange.ConnectAsync(hub.Address);
        await b.Exchange.ConnectAsync(hub.Address);
        var viaHub = a.Exchange.Peers[0];
        var relay = await a.Exchange.RelayAsync(viaHub, Assert.Single(await a.Exchange.GetPeersAsync(viaHub)));
        var nested = overTheConnection ? await a.Exchange.ConnectAsync(relay) : await a.Exchange.ConnectAsync(relay.Flow, "relay");
        Assert.Throws<InvalidOperationException>(() => relay.OpenStream()); // the session has it, either way
        var atB = await b.NextConnectionAsync(c => c.Peer?.Relayed == true);
        return (nested.OpenStream(), atB.OpenStream());
    }

    private static byte[] RandomBytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes of uneven sizes, so frames and chunks fall at different places in each direction.</summary>
    private static async Task WriteInPiecesAsync(Stream stream, byte[] bytes)
    {
        var random = new Random(bytes.Length);
        for (var offset = 0; offset < bytes.Length;)
        {
            var size = Math.Min(random.Next(1, 200_000), bytes.Length - offset);
            await stream.WriteAsync(bytes.AsMemory(offset, size));
            offset += size;
        }
    }

    [Fact]
    public async Task GetNewPeer_must_connect_to_a_function_candidate_through_the_hub()
    {
        await using var hub = await TestNode.StartAsync("test", new PeerExchangeOptions
        {
            CandidateSource = _ => [new CustomCandidate(() => Task.FromResult(Flow.Create<ByteString>()))], // an echo
        });
        await using var a = await TestNode.StartAsync();
        await a.Exchange.ConnectAsync(hub.Address);

        var connection = await a.Exchange.GetNewPeerAsync();
        Assert.Null(connection.Peer);
        Assert.Equal("relay", connection.Transport);
        await using var stream = connection.OpenStream();
        await stream.WriteAsync("echo"u8.ToArray());
        Assert.Equal("echo", Encoding.UTF8.GetString(await stream.ReadExactlyAsync(4)));
    }

    [Fact]
    public async Task Hub_must_answer_an_error_when_a_function_candidate_fails()
    {
        await using var hub = await TestNode.StartAsync("test", new PeerExchangeOptions
        {
            CandidateSource = _ => [new CustomCandidate(() => Task.FromException<Flow<ByteString, ByteString, Akka.NotUsed>>(
                new IOException("no route")))],
        });
        await using var a = await TestNode.StartAsync();
        await a.Exchange.ConnectAsync(hub.Address);

        var error = await Assert.ThrowsAsync<PxpRequestException>(() => a.Exchange.GetNewPeerAsync());
        Assert.Equal("Relay failed: no route", error.Message);
    }

    [Fact]
    public async Task Hub_must_throttle_each_relay_direction()
    {
        const int rate = 20_000;
        const int burst = rate / 10;
        // The hub on virtual time: its relay rate holds in time that passes only as the test moves it.
        var clock = SchedulerClock.Create("throttling-hub");
        try
        {
            await using var hub = await TestNode.StartAsync("test", new PeerExchangeOptions
            {
                RelayBytesPerSecond = rate,
                TimeProvider = clock,
                CandidateSource = _ => [new CustomCandidate(() => Task.FromResult(Flow.Create<ByteString>()))],
            }, system: clock.ActorSystem);
            await using var a = await TestNode.StartAsync();
            await a.Exchange.ConnectAsync(hub.Address);
            var connection = await a.Exchange.GetNewPeerAsync();
            await using var stream = connection.OpenStream();

            var payload = new byte[3 * rate];
            Random.Shared.NextBytes(payload);
            var echoed = new byte[payload.Length];
            var received = 0;
            var reading = Task.Run(async () =>
            {
                while (Volatile.Read(ref received) < echoed.Length)
                {
                    var read = await stream.ReadAsync(echoed.AsMemory(received));
                    if (read == 0) break;
                    Interlocked.Add(ref received, read);
                }
            });
            await stream.WriteAsync(payload);

            await clock.AdvanceUntilAsync(() =>
            {
                // Read after the clock: by then no more than a burst and the rate's worth of the time passed can have come back.
                var got = Volatile.Read(ref received);
                var allowed = burst + rate * clock.Elapsed.TotalSeconds;
                Assert.True(got <= allowed, $"{got} bytes echoed after {clock.Elapsed} of virtual time, at most {allowed} allowed");
                return got == payload.Length;
            }, step: TimeSpan.FromMilliseconds(50), TestNode.Timeout * 3);
            await reading.WaitAsync(TestNode.Timeout);

            Assert.Equal(payload, echoed);
            // Toward the candidate alone, every byte past the first burst costs 1 / rate seconds.
            var floor = TimeSpan.FromSeconds((double)(payload.Length - burst) / rate);
            Assert.True(clock.Elapsed >= floor, $"relayed {payload.Length} bytes in {clock.Elapsed} of virtual time, at least {floor} expected");
        }
        finally
        {
            await clock.ActorSystem.Terminate();
        }
    }

    [Fact]
    public async Task Hub_must_throttle_a_relay_between_two_of_its_peers()
    {
        const int rate = 20_000;
        const int burst = rate / 10;
        // The hub on virtual time; the two ends on real time, their nested session's handshake within the first burst.
        var clock = SchedulerClock.Create("pacing-hub");
        try
        {
            await using var hub = await TestNode.StartAsync("test", new PeerExchangeOptions { RelayBytesPerSecond = rate, TimeProvider = clock },
                system: clock.ActorSystem);
            await using var a = await TestNode.StartAsync();
            await using var b = await TestNode.StartAsync();
            await a.Exchange.ConnectAsync(hub.Address);
            await b.Exchange.ConnectAsync(hub.Address);
            var viaHub = a.Exchange.Peers[0];
            var relay = await a.Exchange.RelayAsync(viaHub, Assert.Single(await a.Exchange.GetPeersAsync(viaHub)));
            var nested = await a.Exchange.ConnectAsync(relay.Flow, "relay");
            var atB = await b.NextConnectionAsync(c => c.Peer?.Relayed == true);
            await using var streamA = nested.OpenStream();
            await using var streamB = atB.OpenStream();

            var payload = new byte[3 * rate];
            Random.Shared.NextBytes(payload);
            var arrived = new byte[payload.Length];
            var received = 0;
            var reading = Task.Run(async () =>
            {
                while (Volatile.Read(ref received) < arrived.Length)
                {
                    var read = await streamB.ReadAsync(arrived.AsMemory(received));
                    if (read == 0) break;
                    Interlocked.Add(ref received, read);
                }
            });
            var start = clock.Elapsed;
            await streamA.WriteAsync(payload);

            await clock.AdvanceUntilAsync(() =>
            {
                // The nested session's frames add a few bytes per write: the payload alone stays within the rate.
                var got = Volatile.Read(ref received);
                var allowed = burst + rate * (clock.Elapsed - start).TotalSeconds;
                Assert.True(got <= allowed, $"{got} bytes arrived after {clock.Elapsed - start} of virtual time, at most {allowed} allowed");
                return got == payload.Length;
            }, step: TimeSpan.FromMilliseconds(50), TestNode.Timeout * 3);
            await reading.WaitAsync(TestNode.Timeout);

            Assert.Equal(payload, arrived);
            var floor = TimeSpan.FromSeconds((double)(payload.Length - burst) / rate);
            Assert.True(clock.Elapsed - start >= floor, $"relayed {payload.Length} bytes in {clock.Elapsed - start} of virtual time, at least {floor} expected");
        }
        finally
        {
            await clock.ActorSystem.Terminate();
        }
    }

    [Fact]
    public async Task Hub_must_forget_candidates_after_their_ttl()
    {
        // The hub on virtual time: a minute's ttl passes at once.
        var clock = SchedulerClock.Create("forgetting-hub");
        try
        {
            await using var hub = await TestNode.StartAsync("test", new PeerExchangeOptions
            {
                Config = ConfigurationFactory.ParseString("pxp.candidate-ttl = 60s"),
                TimeProvider = clock,
            }, system: clock.ActorSystem);
            await using var a = await TestNode.StartAsync();
            await using var b = await TestNode.StartAsync();
            await a.Exchange.ConnectAsync(hub.Address);
            await b.Exchange.ConnectAsync(hub.Address);
            var candidate = Assert.Single(await a.Exchange.GetPeersAsync(a.Exchange.Peers[0]));
            Assert.Equal(1, (await hub.StatsAsync()).Candidates);

            // Each advance tells the exchange its expiry ticks before the stats request that follows them.
            for (var second = 0; second < 59; second++) clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(1, (await hub.StatsAsync()).Candidates);
            clock.Advance(TimeSpan.FromSeconds(1));
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(0, (await hub.StatsAsync()).Candidates);

            var error = await Assert.ThrowsAsync<PxpRequestException>(() => a.Exchange.RelayAsync(a.Exchange.Peers[0], candidate));
            Assert.Equal($"Peer requested unknown candidate: id={candidate.Id} (peer {a.Exchange.Peers[0].Id} over tcp)", error.Message);
        }
        finally
        {
            await clock.ActorSystem.Terminate();
        }
    }

    [Fact]
    public async Task Relay_to_a_candidate_that_never_answers_incoming_must_fail_cleanly()
    {
        await using var hub = await TestNode.StartAsync("test", new PeerExchangeOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        await using var silent = await RawPxpPeer.ConnectAsync(hub.Address);
        await silent.StartSessionAsync("test"); // announces pxp:true, then never answers "incoming"
        await hub.NextPeerAddedAsync();
        await using var a = await TestNode.StartAsync();
        await a.Exchange.ConnectAsync(hub.Address);

        var viaHub = a.Exchange.Peers[0];
        var candidate = Assert.Single(await a.Exchange.GetPeersAsync(viaHub));
        var error = await Assert.ThrowsAsync<PxpRequestException>(() => a.Exchange.RelayAsync(viaHub, candidate));
        Assert.Equal($"Relay failed: No reply to \"incoming\" within 0.3 s (peer {viaHub.Id} over tcp)", error.Message);
        Assert.NotNull(await silent.ReceiveAsync<Incoming>());
        Assert.Equal(2, (await hub.StatsAsync()).ReadyPeers);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // A's nested frames written straight into the relay substream, while the hub goes away
    public async Task Closing_a_hub_with_live_relays_must_end_every_session(bool overTheConnection)
    {
        var hub = await TestNode.StartAsync("test", new PeerExchangeOptions { RelayBytesPerSecond = 0 });
        await using var a = await TestNode.StartAsync();
        await using var b = await TestNode.StartAsync();
        var streams = await NestedStreamsThroughAsync(hub, a, b, overTheConnection);
        await using var streamA = streams.AtA;
        await using var streamB = streams.AtB;
        // Data keeps flowing A -> B while the hub closes: the writer must fail, not hang.
        var writing = Task.Run(async () =>
        {
            var chunk = new byte[64 * 1024];
            while (true) await streamA.WriteAsync(chunk);
        });
        await streamB.ReadExactlyAsync(new byte[1]); // bytes have made it through the hub
        var reading = streamB.CopyToAsync(Stream.Null);

        await hub.Exchange.CloseAsync().WaitAsync(TestNode.Timeout);

        await a.WaitForSessionsAsync(0);
        await b.WaitForSessionsAsync(0);
        var failure = await Assert.ThrowsAsync<IOException>(() => writing.WaitAsync(TestNode.Timeout));
        Assert.StartsWith("The PXP connection is closed", failure.Message);
        await Task.WhenAny(reading).WaitAsync(TestNode.Timeout); // B's reader ends too (with the end or an error)
    }
}
