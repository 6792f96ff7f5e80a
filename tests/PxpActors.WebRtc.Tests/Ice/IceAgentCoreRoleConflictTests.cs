using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Stun;
using PxpActors.WebRtc.Stun.Attributes;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

/// <summary>RFC 8445 §7.3.1.1 and §7.2.5.1: both agents claiming the same role is repaired by the tie-breaker.</summary>
public sealed class IceAgentCoreRoleConflictTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(IceRole.Controlling, 100ul, 200ul)]
    [InlineData(IceRole.Controlling, 200ul, 100ul)]
    [InlineData(IceRole.Controlled, 100ul, 200ul)]
    [InlineData(IceRole.Controlled, 200ul, 100ul)]
    public void Agents_claiming_the_same_role_must_settle_it_by_tie_breaker_and_connect(IceRole role, ulong tieA, ulong tieB)
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1"), new IceAgentOptions { Role = role, TieBreaker = tieA });
        var b = harness.AddPeer(harness.Network.AddHost("10.0.0.2"), new IceAgentOptions { Role = role, TieBreaker = tieB });
        harness.Signal(a, b);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit));

        // The larger tie-breaker ends up controlling, whoever noticed the conflict first.
        var (winner, loser) = tieA > tieB ? (a, b) : (b, a);
        Assert.Equal(IceRole.Controlling, winner.Core.Role);
        Assert.Equal(IceRole.Controlled, loser.Core.Role);
        Assert.Equal(a.Core.SelectedPair!.Priority, b.Core.SelectedPair!.Priority);
    }

    [Fact]
    public void Controlling_agent_with_the_larger_tie_breaker_must_answer_487()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1"), new IceAgentOptions { Role = IceRole.Controlling, TieBreaker = 10 });
        var b = harness.AddPeer(harness.Network.AddHost("10.0.0.2"), new IceAgentOptions { Role = IceRole.Controlling, TieBreaker = 5 });
        var errorsSeenByB = new List<int>();
        harness.Network.Filter = d =>
        {
            if (d.To.Equals(b.Sockets[0].LocalEndPoint) && StunMessage.IsStun(d.Data))
            {
                var message = StunMessage.Parse(d.Data);
                if (message.Get<ErrorCodeAttribute>() is { } error) errorsSeenByB.Add(error.Code);
            }
            return true;
        };
        // Only B checks first: A gets a request claiming CONTROLLING with a smaller tie-breaker.
        b.Core.SetRemoteCredentials(a.Core.LocalCredentials, harness.Now);
        a.Core.SetRemoteCredentials(b.Core.LocalCredentials, harness.Now);
        foreach (var c in a.Gathered) b.Core.AddRemoteCandidate(c, c.EndPoint!, harness.Now);
        harness.Pump();

        Assert.Contains(ErrorCodeAttribute.RoleConflict, errorsSeenByB);
        Assert.Equal(IceRole.Controlled, b.Core.Role);
        Assert.Equal(IceRole.Controlling, a.Core.Role);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, Limit));
    }
}
