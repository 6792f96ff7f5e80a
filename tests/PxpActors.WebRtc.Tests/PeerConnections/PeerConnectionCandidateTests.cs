using System.Net;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Sdp;
using PxpActors.WebRtc.Signaling;
using Xunit;

namespace PxpActors.WebRtc.Tests.PeerConnections;

/// <summary>Host candidates travel in the offer and the answer (JSEP 5.2.1, 5.3.1): the descriptions alone connect.</summary>
public sealed class PeerConnectionCandidateTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static PeerConnectionOptions Options(bool initiator) => new()
    {
        Initiator = initiator,
        IncludeLoopback = true,
        LocalAddresses = [IPAddress.Loopback],
    };

    [Fact]
    public async Task Descriptions_must_carry_the_host_candidates_and_connect_without_any_trickled_one()
    {
        await using var offerer = new PeerConnection(Options(initiator: true));
        await using var answerer = new PeerConnection(Options(initiator: false));
        var trickled = new List<Signal>();
        offerer.LocalSignal += s => { if (s is CandidateSignal) lock (trickled) trickled.Add(s); };
        answerer.LocalSignal += s => { if (s is CandidateSignal) lock (trickled) trickled.Add(s); };

        var offer = await offerer.CreateOfferAsync();
        await answerer.SetRemoteDescriptionAsync(Parse(offer));
        var answer = await answerer.CreateAnswerAsync();
        await offerer.SetRemoteDescriptionAsync(Parse(answer));
        await Task.WhenAll(offerer.Connected, answerer.Connected).WaitAsync(Patience);

        foreach (var description in new[] { offer, answer })
        {
            var candidate = Assert.Single(SessionDescription.Parse(description.Sdp).GetDataChannel().Candidates);
            Assert.Equal(IceCandidateType.Host, candidate.Type);
            Assert.Equal("127.0.0.1", candidate.Address);
        }
        lock (trickled) Assert.Empty(trickled);
        Assert.Equal(PeerConnectionState.Connected, offerer.State);
    }

    /// <summary>The description as the peer gets it: serialised to simple-peer's JSON and back.</summary>
    private static SessionDescriptionSignal Parse(SessionDescriptionSignal signal) =>
        Assert.IsType<SessionDescriptionSignal>(Signal.Parse(signal.ToJson()));
}
