using System.Net;
using PxpActors.WebRtc.Ice;
using Xunit;

namespace PxpActors.WebRtc.Tests.Ice;

/// <summary>Timeouts, consent (RFC 7675) and bad input: every failure is clear, and nothing keeps running after.</summary>
public sealed class IceAgentCoreFailureTests
{
    private static (IceCoreHarness Harness, CorePeer A, CorePeer B) Connected()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1"), new IceAgentOptions { Role = IceRole.Controlling });
        var b = harness.AddPeer(harness.Network.AddHost("10.0.0.2"), new IceAgentOptions { Role = IceRole.Controlled });
        harness.Signal(a, b);
        Assert.True(harness.RunUntil(() => a.Connected && b.Connected, TimeSpan.FromSeconds(10)));
        return (harness, a, b);
    }

    private static void AssertStopped(CorePeer peer)
    {
        Assert.Null(peer.Core.NextTimeout);
        Assert.Equal(0, peer.Core.PendingTransactions);
        Assert.False(peer.Core.TryGetRoute(out _, out _));
    }

    [Fact]
    public void Consent_must_keep_a_quiet_connection_alive()
    {
        var (harness, a, b) = Connected();
        var sentBefore = a.Sent;
        harness.Run(TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(100));

        Assert.Equal(IceConnectionState.Connected, a.Core.State);
        Assert.Equal(IceConnectionState.Connected, b.Core.State);
        // About one consent check per 5 s (0.8–1.2×) in 120 s, plus an answer to each of the peer's:
        // no retransmissions on a clean network.
        Assert.InRange(a.Sent - sentBefore, 2 * 20, 2 * 30);
    }

    [Fact]
    public void Consent_must_survive_moderate_loss()
    {
        var (harness, a, b) = Connected();
        harness.Network.LossRate = 0.2;
        harness.Run(TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(50));
        Assert.Equal(IceConnectionState.Connected, a.Core.State);
        Assert.Equal(IceConnectionState.Connected, b.Core.State);
    }

    [Fact]
    public void Lost_consent_must_go_disconnected_then_fail_after_30_seconds()
    {
        var (harness, a, _) = Connected();
        harness.Network.Filter = _ => false; // the peer vanished
        var cut = harness.Now;

        Assert.True(harness.RunUntil(() => a.Core.State == IceConnectionState.Disconnected, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100)));
        Assert.InRange(harness.Now - cut, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(11));
        Assert.True(harness.RunUntil(() => a.Core.State == IceConnectionState.Failed, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100)));
        Assert.InRange(harness.Now - cut, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(31));

        Assert.Equal(IceFailureReason.ConsentExpired, a.Core.Error!.Reason);
        Assert.Contains("consent expired", a.Core.Error.Message);
        Assert.Equal([IceConnectionState.Checking, IceConnectionState.Connected, IceConnectionState.Disconnected, IceConnectionState.Failed], a.States);
        AssertStopped(a);
    }

    [Fact]
    public void A_consent_response_must_refresh_consent_only_when_it_comes_back_on_the_request_path()
    {
        var (harness, a, b) = Connected();
        var strayFrom = IPEndPoint.Parse("10.0.0.3:40000");
        var diverted = new List<byte[]>();
        // B's answers reach A, but from an address that is not the selected pair's remote end.
        harness.Network.Filter = datagram =>
        {
            if (!datagram.From.Address.Equals(b.Host.Addresses[0])) return true;
            diverted.Add(datagram.Data);
            return false;
        };
        void Divert()
        {
            foreach (var data in diverted) a.Core.HandleDatagram(0, strayFrom, data, harness.Now);
            diverted.Clear();
        }

        Assert.True(harness.RunUntil(() => a.Core.State == IceConnectionState.Disconnected, TimeSpan.FromSeconds(15),
            TimeSpan.FromMilliseconds(100), Divert));
    }

    [Fact]
    public void Disconnected_must_recover_when_consent_responses_return()
    {
        var (harness, a, _) = Connected();
        harness.Network.Filter = _ => false;
        Assert.True(harness.RunUntil(() => a.Core.State == IceConnectionState.Disconnected, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100)));
        harness.Network.Filter = null;
        Assert.True(harness.RunUntil(() => a.Core.State == IceConnectionState.Connected, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void Unanswered_checks_must_fail_all_pairs_once_the_peer_ended_its_candidates()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1"), new IceAgentOptions());
        a.Core.SetRemoteCredentials(IceCredentials.Generate(), harness.Now);
        a.Core.AddRemoteCandidate(IceCandidate.Parse("candidate:1 1 udp 2122260223 10.0.0.99 5000 typ host"), IPEndPoint.Parse("10.0.0.99:5000"), harness.Now);
        a.Core.AddRemoteEndOfCandidates(harness.Now);
        var start = harness.Now;

        Assert.True(harness.RunUntil(() => a.Core.State == IceConnectionState.Failed, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(50)));
        Assert.Equal(IceFailureReason.AllPairsFailed, a.Core.Error!.Reason);
        Assert.Contains("1 pairs, 1 failed", a.Core.Error.Message);
        // 7 transmissions: 0.5 + 1 + 2 + 2 + 2 + 2 + 2 s.
        Assert.InRange(harness.Now - start, TimeSpan.FromSeconds(11), TimeSpan.FromSeconds(12));
        AssertStopped(a);
    }

    [Fact]
    public void Without_end_of_candidates_an_agent_must_wait_for_the_connect_timeout()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1"), new IceAgentOptions { ConnectTimeout = TimeSpan.FromSeconds(25) });
        a.Core.SetRemoteCredentials(IceCredentials.Generate(), harness.Now);
        a.Core.AddRemoteCandidate(IceCandidate.Parse("candidate:1 1 udp 2122260223 10.0.0.99 5000 typ host"), IPEndPoint.Parse("10.0.0.99:5000"), harness.Now);
        var start = harness.Now;

        Assert.True(harness.RunUntil(() => a.Core.IsTerminal, TimeSpan.FromSeconds(40), TimeSpan.FromMilliseconds(100)));
        Assert.Equal(IceFailureReason.ConnectTimeout, a.Core.Error!.Reason);
        Assert.Contains("within 25 s", a.Core.Error.Message);
        Assert.InRange(harness.Now - start, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(25.2));
        AssertStopped(a);
    }

    [Fact]
    public void An_agent_that_never_hears_from_its_peer_must_time_out_with_a_clear_error()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1"), new IceAgentOptions());
        Assert.True(harness.RunUntil(() => a.Core.IsTerminal, TimeSpan.FromSeconds(31), TimeSpan.FromMilliseconds(500)));
        Assert.Equal(IceFailureReason.ConnectTimeout, a.Core.Error!.Reason);
        Assert.Contains("no remote credentials yet", a.Core.Error.Message);
    }

    [Fact]
    public void Close_must_stop_everything_and_explain_itself()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1"), new IceAgentOptions());
        a.Core.Close();
        harness.Pump();
        Assert.Equal(IceFailureReason.Closed, a.Core.Error!.Reason);
        Assert.Equal([IceConnectionState.Closed], a.States);
        AssertStopped(a);
    }

    [Fact]
    public void Checks_with_the_wrong_password_must_be_refused_with_401()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1"), new IceAgentOptions { Role = IceRole.Controlling });
        var b = harness.AddPeer(harness.Network.AddHost("10.0.0.2"), new IceAgentOptions { Role = IceRole.Controlled });
        // A believes B's password is something else: B must not accept A's checks, nor learn A's address.
        a.Core.SetRemoteCredentials(new IceCredentials(b.Core.LocalCredentials.Ufrag, "WrongPasswordOf22Chars"), harness.Now);
        b.Core.SetRemoteCredentials(a.Core.LocalCredentials, harness.Now);
        foreach (var c in b.Gathered) a.Core.AddRemoteCandidate(c, c.EndPoint!, harness.Now);
        harness.Run(TimeSpan.FromSeconds(12));

        Assert.Empty(b.Core.RemoteCandidates);
        Assert.Equal(IceConnectionState.New, b.Core.State);
        // B's 401 carries no integrity A could check, so A ignores it and its check simply times out.
        Assert.Equal(IceCandidatePairState.Failed, a.Core.Pairs.Single().State);
    }

    [Fact]
    public void Garbage_on_the_socket_must_be_dropped_without_harm()
    {
        var (harness, a, b) = Connected();
        var random = new Random(3);
        var stranger = harness.Network.AddHost("10.0.0.66").BindSocket(IPEndPoint.Parse("10.0.0.66:9"));
        for (var i = 0; i < 200; i++)
        {
            var junk = new byte[random.Next(0, 200)];
            random.NextBytes(junk);
            if (junk.Length > 0 && i % 2 == 0) junk[0] = 0x01; // looks like STUN
            _ = stranger.SendToAsync(junk, a.Sockets[0].LocalEndPoint);
        }
        harness.Pump();
        Assert.Equal(IceConnectionState.Connected, a.Core.State);
        Assert.Empty(a.Application);
        Assert.Single(a.Core.RemoteCandidates);
    }

    [Fact]
    public void Remote_candidates_and_pairs_must_stay_bounded()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1", "10.0.0.2"),
            new IceAgentOptions { MaxRemoteCandidates = 10, MaxPairs = 15 });
        a.Core.SetRemoteCredentials(IceCredentials.Generate(), harness.Now);
        for (var i = 1; i <= 100; i++)
        {
            var line = $"candidate:{i} 1 udp {1000 + i} 10.1.0.{i} 5000 typ host";
            a.Core.AddRemoteCandidate(IceCandidate.Parse(line), IPEndPoint.Parse($"10.1.0.{i}:5000"), harness.Now);
        }
        Assert.Equal(10, a.Core.RemoteCandidates.Count);
        Assert.True(a.Core.Pairs.Count <= 15);
    }

    [Fact]
    public void Candidates_that_cannot_be_used_must_be_ignored()
    {
        var harness = new IceCoreHarness();
        var a = harness.AddPeer(harness.Network.AddHost("10.0.0.1"), new IceAgentOptions());
        Assert.False(a.Core.AddRemoteCandidate(IceCandidate.Parse("candidate:1 1 tcp 1 10.0.0.9 9 typ host tcptype active"), IPEndPoint.Parse("10.0.0.9:9"), harness.Now));
        Assert.False(a.Core.AddRemoteCandidate(IceCandidate.Parse("candidate:1 2 udp 1 10.0.0.9 5000 typ host"), IPEndPoint.Parse("10.0.0.9:5000"), harness.Now));
        Assert.False(a.Core.AddRemoteCandidate(IceCandidate.Parse("candidate:1 1 udp 1 10.0.0.9 0 typ host"), IPEndPoint.Parse("10.0.0.9:0"), harness.Now));
        // A loopback remote with only a non-loopback local: kept, but no pair.
        Assert.True(a.Core.AddRemoteCandidate(IceCandidate.Parse("candidate:1 1 udp 1 127.0.0.1 5000 typ host"), IPEndPoint.Parse("127.0.0.1:5000"), harness.Now));
        // IPv6 remote with only an IPv4 local: kept, but no pair.
        Assert.True(a.Core.AddRemoteCandidate(IceCandidate.Parse("candidate:1 1 udp 1 2001:db8::1 5000 typ host"), IPEndPoint.Parse("[2001:db8::1]:5000"), harness.Now));
        Assert.Empty(a.Core.Pairs);
    }
}
