using PxpActors.WebRtc.Ice;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

/// <summary>
/// RFC 8445 §7.3.1.4 triggered checks: the peer's check makes us check the same pair at once (not on the
/// next Ta tick), an unanswered check in flight is retransmitted within Ta instead of its RTO, and two agents
/// never bounce checks off each other. Time only advances where a test says so.
/// </summary>
public sealed class IceAgentCoreTriggeredCheckTests
{
    private static (IceCoreHarness Harness, CorePeer A, CorePeer B) TwoPeers()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1"), new IceAgentOptions { Role = IceRole.Controlling });
        var b = harness.AddPeer(harness.Network.AddHost("10.0.0.2"), new IceAgentOptions { Role = IceRole.Controlled });
        return (harness, a, b);
    }

    private static bool IsSuccessResponse(byte[] datagram) => datagram.Length > 1 && datagram[0] == 0x01 && datagram[1] == 0x01;

    [Fact]
    public void Incoming_check_must_be_answered_by_a_triggered_check_at_once_not_on_the_next_Ta()
    {
        var (harness, a, b) = TwoPeers();
        var start = harness.Now;
        a.Core.SetRemoteCredentials(b.Core.LocalCredentials, harness.Now);
        b.Core.SetRemoteCredentials(a.Core.LocalCredentials, harness.Now);
        // A has just spent its Ta on a candidate nobody answers (of low priority, so it never holds up nomination).
        a.Core.AddRemoteCandidate(IceCandidate.Parse("candidate:9 1 udp 100 10.0.0.99 9 typ host"), System.Net.IPEndPoint.Parse("10.0.0.99:9"), harness.Now);
        harness.Pump();
        Assert.Equal(IceCandidatePairState.InProgress, a.Core.Pairs.Single().State);

        // B's check reveals a new (peer-reflexive) pair to A, whose own check on it must not wait for the pacer.
        foreach (var c in a.Gathered) b.Core.AddRemoteCandidate(c, c.EndPoint!, harness.Now);
        harness.Pump();

        Assert.Equal(start, harness.Now);
        var learned = a.Core.Pairs.Single(p => p.RemoteEndPoint.Equals(b.Sockets[0].LocalEndPoint));
        Assert.Equal(IceCandidatePairState.Succeeded, learned.State);
        Assert.True(a.Connected && b.Connected, $"A {a.Core.State}, B {b.Core.State}");
        Assert.Equal(learned, a.Core.SelectedPair);
    }

    [Fact]
    public void Lost_first_check_must_be_retried_within_Ta_of_the_peers_check_instead_of_after_its_RTO()
    {
        var (harness, a, b) = TwoPeers();
        var start = harness.Now;
        var dropped = 0;
        // The first datagram from A to B is lost, as to a NAT that has not opened yet.
        harness.Network.Filter = d => !(d.From.Address.ToString() == "10.0.0.1" && Interlocked.Increment(ref dropped) == 1);
        a.Core.SetRemoteCredentials(b.Core.LocalCredentials, harness.Now);
        foreach (var c in b.Gathered) a.Core.AddRemoteCandidate(c, c.EndPoint!, harness.Now);
        harness.Pump();
        Assert.Equal(IceCandidatePairState.InProgress, a.Core.Pairs.Single().State);

        b.Core.SetRemoteCredentials(a.Core.LocalCredentials, harness.Now);
        foreach (var c in a.Gathered) b.Core.AddRemoteCandidate(c, c.EndPoint!, harness.Now);
        var options = new IceAgentOptions();
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, options.InitialRto, TimeSpan.FromMilliseconds(1)),
            $"A {a.Core.State}, B {b.Core.State}");

        Assert.InRange(harness.Now - start, TimeSpan.Zero, options.CheckInterval + TimeSpan.FromMilliseconds(1));
        var sentBefore = a.Sent;
        harness.Run(TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(50));
        Assert.Equal(IceConnectionState.Connected, a.Core.State);
        Assert.Equal(IceCandidatePairState.Succeeded, a.Core.SelectedPair!.State);
        Assert.Equal(0, a.Core.PendingTransactions);
        Assert.True(a.Sent - sentBefore <= 2, $"A sent {a.Sent - sentBefore} datagrams in 3 s"); // consent checks only
    }

    [Fact]
    public void Peer_check_must_not_duplicate_our_check_in_flight_even_when_responses_are_lost()
    {
        var (harness, a, b) = TwoPeers();
        harness.Network.Filter = d => !IsSuccessResponse(d.Data);
        harness.Signal(a, b); // Pump throws when datagrams keep moving without time passing

        // Each side: its ordinary check and its answer to the other's; a check in flight is not duplicated.
        Assert.Equal(4, a.Sent + b.Sent);
        Assert.False(a.Connected || b.Connected);
    }
}
