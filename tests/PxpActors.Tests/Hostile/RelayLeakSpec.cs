using Akka.Configuration;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.TestSupport.Raw;
using PxpActors.Tests.Support;

namespace PxpActors.Tests.Hostile;

/// <summary>
/// Every way a relay can fail ends both of its halves: what the hub opened toward the candidate and toward the
/// asker is ended, so neither peer's substream table fills with relays that went nowhere.
/// </summary>
public sealed class RelayLeakSpec : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private TestNode _hub = null!;
    private RawPxpPeer _candidate = null!;
    private RawPxpPeer _asker = null!;

    public async Task InitializeAsync()
    {
        _hub = await TestNode.StartAsync("test", new PeerExchangeOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(500),
            // A flood of relay requests is what these tests send: the request rate limit would close the asker first.
            Config = ConfigurationFactory.ParseString("pxp.max-incoming-requests-per-second = 100000"),
        });
        _candidate = await RawPxpPeer.ConnectAsync(_hub.Address);
        await _candidate.StartSessionAsync("test");
        await _hub.NextPeerAddedAsync();
        _asker = await RawPxpPeer.ConnectAsync(_hub.Address);
        await _asker.StartSessionAsync("test");
        await _hub.NextPeerAddedAsync();
    }

    public async Task DisposeAsync()
    {
        await _asker.DisposeAsync();
        await _candidate.DisposeAsync();
        await _hub.DisposeAsync();
    }

    [Fact]
    public async Task Hub_must_refuse_relays_to_an_id_already_relayed_before_opening_anything_toward_the_candidate()
    {
        var candidateId = await CandidateIdAsync();
        const int requests = 500;
        for (var i = 0; i < requests; i++) await _asker.SendRpcAsync(new Relay($"r{i}", candidateId));
        var incoming = await _candidate.ReceiveAsync<Incoming>();
        await _candidate.SendRpcAsync(new Response(incoming.Nonce, Replies.Ok));

        var replies = new List<string?>();
        for (var i = 0; i < requests; i++)
            replies.Add(Replies.ReadStatus((await _asker.ReceiveAsync<Response>(r => r.Nonce.StartsWith('r'))).Args).Error);
        Assert.Single(replies, r => r is null);
        Assert.All(replies.Where(r => r is not null),
            r => Assert.Equal($"Candidate {candidateId} is already being relayed for this peer", r));
        // One relay: its two halves beside the two sessions' "pxp".
        Assert.Equal(4, (await _hub.StatsAsync()).Resources.Substreams);
        Assert.Equal(1, (await _hub.StatsAsync()).Resources.Relays);

        // It ends toward the candidate when the asker goes.
        await _asker.DisposeAsync();
        await _hub.WaitForStatsAsync(s => s.Resources is { Substreams: 1, Relays: 0 }, "the candidate's \"pxp\" only, no relay");
        await UntilNoRelayOpenAsync(_candidate, "the candidate");
    }

    [Fact]
    public async Task A_relay_the_candidate_refuses_must_end_both_halves()
    {
        var candidateId = await CandidateIdAsync();
        await _asker.SendRpcAsync(new Relay("r", candidateId));
        var incoming = await _candidate.ReceiveAsync<Incoming>();
        await _candidate.SendRpcAsync(new Response(incoming.Nonce, Replies.Error("not now")));

        var reply = await _asker.ReceiveAsync<Response>(r => r.Nonce == "r");
        Assert.Equal("Relay failed: not now", Replies.ReadStatus(reply.Args).Error);
        await AssertNoRelayLeftAsync();
    }

    [Fact]
    public async Task A_relay_the_candidate_never_answers_must_end_both_halves_at_the_timeout()
    {
        var candidateId = await CandidateIdAsync();
        await _asker.SendRpcAsync(new Relay("r", candidateId));
        await _candidate.ReceiveAsync<Incoming>(); // and never answered

        var reply = await _asker.ReceiveAsync<Response>(r => r.Nonce == "r");
        Assert.StartsWith("Relay failed: No reply to \"incoming\"", Replies.ReadStatus(reply.Args).Error);
        await AssertNoRelayLeftAsync();
    }

    [Fact]
    public async Task A_relay_whose_asker_is_gone_before_it_completes_must_end_the_candidate_half()
    {
        var candidateId = await CandidateIdAsync();
        await _asker.SendRpcAsync(new Relay("r", candidateId));
        var incoming = await _candidate.ReceiveAsync<Incoming>();
        await _asker.DisposeAsync();
        await _hub.WaitForStatsAsync(s => s.ReadyPeers == 1, "the asker gone");
        await _candidate.SendRpcAsync(new Response(incoming.Nonce, Replies.Ok));

        await UntilNoRelayOpenAsync(_candidate, "the candidate");
        await _hub.WaitForStatsAsync(s => s.Resources is { Substreams: 1, Relays: 0 }, "the candidate's \"pxp\" only, no relay");
        await AssertCandidateCarriesOnAsync();
    }

    [Fact]
    public async Task A_relay_whose_candidate_is_gone_before_it_completes_must_end_the_asker_half()
    {
        var candidateId = await CandidateIdAsync();
        await _asker.SendRpcAsync(new Relay("r", candidateId));
        await _candidate.ReceiveAsync<Incoming>();
        await _candidate.DisposeAsync();

        var reply = await _asker.ReceiveAsync<Response>(r => r.Nonce == "r");
        Assert.StartsWith("Relay failed:", Replies.ReadStatus(reply.Args).Error);
        await UntilNoRelayOpenAsync(_asker, "the asker");
        await _hub.WaitForStatsAsync(s => s.Resources is { Substreams: 1, Relays: 0 }, "the asker's \"pxp\" only, no relay");
        await _asker.SendRpcAsync(new GetPeers("after", "test"));
        Assert.True(Replies.ReadCandidates((await _asker.ReceiveAsync<Response>(r => r.Nonce == "after")).Args).IsSuccess);
    }

    [Fact]
    public async Task An_open_relay_whose_candidate_goes_away_must_end_the_asker_half_too()
    {
        var candidateId = await CandidateIdAsync();
        await _asker.SendRpcAsync(new Relay("r", candidateId));
        var incoming = await _candidate.ReceiveAsync<Incoming>();
        await _candidate.SendRpcAsync(new Response(incoming.Nonce, Replies.Ok));
        Assert.Null(Replies.ReadStatus((await _asker.ReceiveAsync<Response>(r => r.Nonce == "r")).Args).Error);
        Assert.Equal(1, (await _hub.StatsAsync()).Resources.Relays);

        // The candidate's connection drops without ending anything: the asker, idle, must not keep a dead relay.
        await _candidate.DisposeAsync();
        await _hub.WaitForStatsAsync(s => s.Resources is { Substreams: 1, Relays: 0 }, "the asker's \"pxp\" only, no relay");
        await _asker.SendRpcAsync(new GetPeers("after", "test"));
        Assert.True(Replies.ReadCandidates((await _asker.ReceiveAsync<Response>(r => r.Nonce == "after")).Args).IsSuccess);
    }

    private async Task<string> CandidateIdAsync()
    {
        await _asker.SendRpcAsync(new GetPeers("g", "test"));
        var reply = await _asker.ReceiveAsync<Response>(r => r.Nonce == "g");
        return Assert.Single(Replies.ReadCandidates(reply.Args).Value!).Id;
    }

    private static Task UntilNoRelayOpenAsync(RawPxpPeer peer, string who) =>
        Condition.UntilAsync(() => !peer.OpenSubstreamsFromNode().Any(n => n.StartsWith("relay:")),
            $"the hub left a relay substream open toward {who}: {string.Join(", ", peer.OpenSubstreamsFromNode())}", Timeout);

    /// <summary>The hub holds the two sessions' "pxp" substreams and nothing of the relay (some halves are never announced on the wire).</summary>
    private Task UntilHubHoldsNoRelayAsync() =>
        _hub.WaitForStatsAsync(s => s.Resources is { Substreams: 2, Relays: 0 }, "two \"pxp\" substreams and no relay");

    /// <summary>Neither peer has a relay substream open from the hub, the hub holds none, and both sessions carry on.</summary>
    private async Task AssertNoRelayLeftAsync()
    {
        await UntilNoRelayOpenAsync(_candidate, "the candidate");
        await UntilNoRelayOpenAsync(_asker, "the asker");
        await UntilHubHoldsNoRelayAsync();
        await AssertCandidateCarriesOnAsync();
        await _asker.SendRpcAsync(new GetPeers("after", "test"));
        Assert.True(Replies.ReadCandidates((await _asker.ReceiveAsync<Response>(r => r.Nonce == "after")).Args).IsSuccess);
    }

    private async Task AssertCandidateCarriesOnAsync()
    {
        await _candidate.SendRpcAsync(new GetPeers("after", "test"));
        Assert.True(Replies.ReadCandidates((await _candidate.ReceiveAsync<Response>(r => r.Nonce == "after")).Args).IsSuccess);
    }
}
