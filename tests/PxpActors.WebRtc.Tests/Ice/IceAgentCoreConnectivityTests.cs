using PxpActors.WebRtc.Ice;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

/// <summary>Connectivity checks and nomination between two state machines over a simulated network.</summary>
public sealed class IceAgentCoreConnectivityTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private static (IceCoreHarness Harness, CorePeer A, CorePeer B) TwoPeers(int seed = 1, IceAgentOptions? a = null, IceAgentOptions? b = null)
    {
        var harness = new IceCoreHarness(seed);
        var peerA = harness.AddPeer(harness.Network.AddHost("10.0.0.1"), a ?? new IceAgentOptions { Role = IceRole.Controlling });
        var peerB = harness.AddPeer(harness.Network.AddHost("10.0.0.2"), b ?? new IceAgentOptions { Role = IceRole.Controlled });
        return (harness, peerA, peerB);
    }

    [Fact]
    public void Agents_must_connect_and_select_the_same_nominated_pair()
    {
        var (harness, a, b) = TwoPeers();
        Assert.Single(a.Gathered);
        Assert.True(a.GatheringComplete);
        Assert.Equal(IceConnectionState.New, a.Core.State);

        harness.Signal(a, b);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit));

        Assert.Equal([IceConnectionState.Checking, IceConnectionState.Connected], a.States);
        Assert.Equal([IceConnectionState.Checking, IceConnectionState.Connected], b.States);
        var pairA = a.Core.SelectedPair!;
        var pairB = b.Core.SelectedPair!;
        Assert.True(pairA.Nominated);
        Assert.True(pairB.Nominated);
        Assert.Equal(b.Sockets[0].LocalEndPoint, pairA.RemoteEndPoint);
        Assert.Equal(a.Sockets[0].LocalEndPoint, pairB.RemoteEndPoint);
        // Both sides compute the same pair priority once roles agree (RFC 8445 §6.1.2.3).
        Assert.Equal(pairA.Priority, pairB.Priority);
    }

    [Fact]
    public void Agents_must_connect_quickly_on_a_clean_network()
    {
        var (harness, a, b) = TwoPeers();
        var start = harness.Now;
        harness.Signal(a, b);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit, TimeSpan.FromMilliseconds(1)));
        // One check, its response, the nominating check and its response: no timer has to fire.
        Assert.True(harness.Now - start < TimeSpan.FromMilliseconds(100), $"took {harness.Now - start}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Agents_must_connect_through_30_percent_loss_by_retransmitting(int seed)
    {
        var (harness, a, b) = TwoPeers(seed);
        harness.Network.LossRate = 0.3;
        harness.Signal(a, b);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit), $"A {a.Core.State} {a.Core.Error?.Message} {string.Join(",", a.States)}, B {b.Core.State} {string.Join(",", b.States)}");
        Assert.True(harness.Network.DroppedCount > 0);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void Agents_must_connect_when_datagrams_are_reordered(int seed)
    {
        var harness = new IceCoreHarness(seed);
        // Two addresses each: four pairs whose checks and responses cross in shuffled order.
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1", "10.0.1.1"), new IceAgentOptions { Role = IceRole.Controlling });
        var b = harness.AddPeer(harness.Network.AddHost("10.0.0.2", "10.0.1.2"), new IceAgentOptions { Role = IceRole.Controlled });
        harness.Network.AutoDeliver = false;
        harness.Signal(a, b);
        var shuffled = 0;
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit, eachStep: () =>
        {
            if (harness.Network.HeldCount > 1) shuffled++;
            harness.Network.ShuffleHeld();
            harness.Network.DeliverAll();
        }));
        Assert.True(shuffled > 0);
        Assert.Equal(a.Core.SelectedPair!.RemoteEndPoint, b.Sockets.Single(s => s.LocalEndPoint.Equals(a.Core.SelectedPair.RemoteEndPoint)).LocalEndPoint);
    }

    [Fact]
    public void Controlling_agent_must_nominate_the_highest_priority_pair()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1", "10.0.1.1"), new IceAgentOptions { Role = IceRole.Controlling });
        var b = harness.AddPeer(harness.Network.AddHost("10.0.0.2", "10.0.1.2"), new IceAgentOptions { Role = IceRole.Controlled });
        harness.Signal(a, b);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit));

        Assert.Equal(4, a.Core.Pairs.Count);
        Assert.Equal(a.Core.Pairs.Max(p => p.Priority), a.Core.SelectedPair!.Priority);
        Assert.Equal(a.Core.Pairs.OrderByDescending(p => p.Priority).Select(p => p.Priority), a.Core.Pairs.Select(p => p.Priority));
        Assert.Single(a.SelectedPairs);
        Assert.Single(b.SelectedPairs);
    }

    [Fact]
    public void Controlling_agent_must_nominate_a_lesser_pair_after_the_delay_when_the_best_one_is_blocked()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1", "10.0.1.1"), new IceAgentOptions { Role = IceRole.Controlling });
        var b = harness.AddPeer(harness.Network.AddHost("10.0.0.2", "10.0.1.2"), new IceAgentOptions { Role = IceRole.Controlled });
        // The path between the first addresses (the best pair) is black-holed.
        harness.Network.Filter = d => !(d.From.Address.ToString() == "10.0.0.1" && d.To.Address.ToString() == "10.0.0.2")
                                   && !(d.From.Address.ToString() == "10.0.0.2" && d.To.Address.ToString() == "10.0.0.1");
        harness.Signal(a, b);
        var start = harness.Now;
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit));

        var best = a.Core.Pairs[0];
        Assert.NotEqual(best, a.Core.SelectedPair);
        Assert.NotEqual(IceCandidatePairState.Succeeded, best.State);
        // Nominated on the delay, not after the best pair's checks ran out.
        Assert.InRange(harness.Now - start, new IceAgentOptions().NominationDelay, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Dual_stack_agents_must_pair_only_within_an_address_family()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1", "fd00::1"), new IceAgentOptions { Role = IceRole.Controlling });
        var b = harness.AddPeer(harness.Network.AddHost("10.0.0.2", "fd00::2"), new IceAgentOptions { Role = IceRole.Controlled });
        harness.Signal(a, b);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit));

        Assert.Equal(2, a.Core.Pairs.Count);
        Assert.All(a.Core.Pairs, p => Assert.Equal(p.LocalCandidate.Base.AddressFamily, p.RemoteEndPoint.AddressFamily));
    }

    [Fact]
    public void Trickled_candidates_arriving_after_checks_started_must_still_connect()
    {
        var (harness, a, b) = TwoPeers();
        a.Core.SetRemoteCredentials(b.Core.LocalCredentials, harness.Now);
        b.Core.SetRemoteCredentials(a.Core.LocalCredentials, harness.Now);
        harness.Run(TimeSpan.FromSeconds(2));
        Assert.Equal(IceConnectionState.New, a.Core.State);

        foreach (var c in b.Gathered) a.Core.AddRemoteCandidate(c, c.EndPoint!, harness.Now);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit));
        // B never got A's candidates: it learned A as peer-reflexive from A's checks.
        Assert.Equal(IceCandidateType.PeerReflexive, b.Core.SelectedPair!.Remote.Type);
    }

    [Fact]
    public void Checks_arriving_before_the_answer_must_be_answered_and_remembered()
    {
        var (harness, a, b) = TwoPeers();
        // B (the answerer) knows everything and checks at once; A has not seen the answer yet.
        b.Core.SetRemoteCredentials(a.Core.LocalCredentials, harness.Now);
        foreach (var c in a.Gathered) b.Core.AddRemoteCandidate(c, c.EndPoint!, harness.Now);
        harness.Pump();
        Assert.Equal(IceCandidatePairState.Succeeded, b.Core.Pairs.Single().State); // A answered with its own password
        Assert.Equal(IceConnectionState.Checking, a.Core.State);
        Assert.Equal(IceCandidatePairState.Waiting, a.Core.Pairs.Single().State); // triggered, held until the answer

        a.Core.SetRemoteCredentials(b.Core.LocalCredentials, harness.Now);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void A_later_signalled_candidate_must_replace_its_peer_reflexive_twin()
    {
        var (harness, a, b) = TwoPeers();
        a.Core.SetRemoteCredentials(b.Core.LocalCredentials, harness.Now);
        b.Core.SetRemoteCredentials(a.Core.LocalCredentials, harness.Now);
        foreach (var c in b.Gathered) a.Core.AddRemoteCandidate(c, c.EndPoint!, harness.Now);
        Assert.True(harness.RunUntil(() => b.Core.RemoteCandidates.Count == 1, Limit));
        Assert.Equal(IceCandidateType.PeerReflexive, b.Core.RemoteCandidates[0].Type);

        foreach (var c in a.Gathered) b.Core.AddRemoteCandidate(c, c.EndPoint!, harness.Now);
        Assert.Single(b.Core.RemoteCandidates);
        Assert.Equal(IceCandidateType.Host, b.Core.RemoteCandidates[0].Type);
    }

    [Fact]
    public async Task Upper_layer_datagrams_must_pass_only_from_authenticated_addresses()
    {
        var (harness, a, b) = TwoPeers();
        harness.Signal(a, b);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit));

        // A DTLS-looking datagram (first byte 22) from B's selected address goes up; STUN stays inside.
        Assert.True(b.Core.TryGetRoute(out var socketId, out var remote));
        await b.Sockets[socketId].SendToAsync(new byte[] { 22, 254, 253, 1 }, remote);
        var stranger = harness.Network.AddHost("10.9.9.9").BindSocket(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("10.9.9.9"), 0));
        await stranger.SendToAsync(new byte[] { 22, 0, 0, 0 }, a.Sockets[0].LocalEndPoint);
        harness.Pump();

        Assert.Equal([new byte[] { 22, 254, 253, 1 }], a.Application);
        Assert.Contains(IceDatagramDisposition.Dropped, a.Dispositions);
    }
}
