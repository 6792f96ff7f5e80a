using PxpActors.TestSupport.Datagrams;
using PxpActors.WebRtc.Ice;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

/// <summary>Server-reflexive gathering and peer-reflexive discovery across simulated NATs.</summary>
public sealed class IceAgentCoreNatTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Fact]
    public void Agent_behind_a_NAT_must_gather_a_server_reflexive_candidate()
    {
        var harness = new IceCoreHarness();
        var server = harness.AddStunServer("198.51.100.1");
        var a = harness.AddPeer(harness.Network.AddHostBehindNat("192.168.1.10", "203.0.113.10"), new IceAgentOptions(), server.ToString());

        Assert.True(a.GatheringComplete);
        Assert.Equal(2, a.Gathered.Count);
        var srflx = a.Gathered[1];
        Assert.Equal(IceCandidateType.ServerReflexive, srflx.Type);
        Assert.Equal("203.0.113.10", srflx.Address);
        Assert.Equal("192.168.1.10", srflx.RelatedAddress);
        Assert.Equal(a.Sockets[0].LocalEndPoint.Port, srflx.RelatedPort);
        Assert.True(srflx.Priority < a.Gathered[0].Priority);
        Assert.NotEqual(a.Gathered[0].Foundation, srflx.Foundation);
    }

    [Fact]
    public void Agent_on_a_public_address_must_not_duplicate_its_host_candidate()
    {
        var harness = new IceCoreHarness();
        var server = harness.AddStunServer("198.51.100.1");
        var a = harness.AddPeer(harness.Network.AddHost("203.0.113.20"), new IceAgentOptions(), server.ToString());
        Assert.True(a.GatheringComplete);
        Assert.Single(a.Gathered);
    }

    [Fact]
    public void Gathering_must_complete_when_the_STUN_server_never_answers()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHostBehindNat("192.168.1.10", "203.0.113.10"), new IceAgentOptions(), "198.51.100.77:3478");
        Assert.False(a.GatheringComplete);
        Assert.True(harness.RunUntil(() => a.GatheringComplete, TimeSpan.FromSeconds(10)));
        Assert.Single(a.Gathered);
        Assert.Equal(IceGatheringState.Complete, a.Core.GatheringState);
    }

    [Theory]
    [InlineData(NatFiltering.EndpointIndependent)]
    [InlineData(NatFiltering.AddressDependent)]
    [InlineData(NatFiltering.AddressAndPortDependent)]
    public void Agents_behind_NATs_must_connect_through_their_server_reflexive_candidates(NatFiltering filtering)
    {
        var harness = new IceCoreHarness();
        var server = harness.AddStunServer("198.51.100.1").ToString();
        var a = harness.AddPeer(harness.Network.AddHostBehindNat("192.168.1.10", "203.0.113.10", filtering), new IceAgentOptions { Role = IceRole.Controlling }, server);
        var b = harness.AddPeer(harness.Network.AddHostBehindNat("192.168.2.20", "203.0.113.20", filtering), new IceAgentOptions { Role = IceRole.Controlled }, server);
        harness.Signal(a, b);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit));

        // Both send from their host socket to the peer's NAT mapping; the mapping seen by the peer is our srflx.
        Assert.Equal("203.0.113.20", a.Core.SelectedPair!.RemoteEndPoint.Address.ToString());
        Assert.Equal("203.0.113.10", b.Core.SelectedPair!.RemoteEndPoint.Address.ToString());
    }

    [Fact]
    public void Agent_must_learn_a_peer_reflexive_candidate_from_a_NATed_peer_that_signalled_nothing_usable()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("203.0.113.5"), new IceAgentOptions { Role = IceRole.Controlling });
        var b = harness.AddPeer(harness.Network.AddHostBehindNat("192.168.1.10", "203.0.113.10"), new IceAgentOptions { Role = IceRole.Controlled });
        a.Core.SetRemoteCredentials(b.Core.LocalCredentials, harness.Now);
        b.Core.SetRemoteCredentials(a.Core.LocalCredentials, harness.Now);
        // Only B knows where A is (like a browser publishing only an mDNS name A cannot resolve).
        foreach (var c in a.Gathered) b.Core.AddRemoteCandidate(c, c.EndPoint!, harness.Now);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit));

        var remote = a.Core.SelectedPair!.Remote;
        Assert.Equal(IceCandidateType.PeerReflexive, remote.Type);
        Assert.Equal("203.0.113.10", remote.Address);
        // B saw its own NAT mapping in the check response: a local peer-reflexive candidate.
        Assert.Contains(b.Core.LocalCandidates, c => c.Type == IceCandidateType.PeerReflexive && c.Address == "203.0.113.10");
    }
}
