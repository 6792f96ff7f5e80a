using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Tests.PeerConnections;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Signaling;
using Xunit;
using Xunit.Abstractions;

namespace PxpActors.WebRtc.Tests.Interop;

/// <summary>
/// Our PeerConnection against headless Chromium: a page served from localhost opens (or accepts) a data
/// channel to us, signals through the test's HTTP endpoint, and echoes 1 MiB intact. Chromium hides its
/// host addresses behind mDNS <c>.local</c> names, so this is where peer-reflexive candidates are proven.
/// Skipped with the reason when Chromium is not installed.
/// </summary>
[Collection(HeavyInteropCollection.Name)]
public sealed class ChromiumDataChannelInteropTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const long EchoBytes = 1024 * 1024;

    [SkippableTheory]
    [InlineData("offer")]
    [InlineData("answer")]
    public async Task Chromium_must_echo_1_MiB_over_a_data_channel_with_our_peer_connection(string pageRole)
    {
        var ours = new PeerConnection(new PeerConnectionOptions { Initiator = pageRole == "answer", IncludeLoopback = true });
        try
        {
            await using var chromium = ChromiumHarness.Start(ours, pageRole);
            IWebRtcDataChannel channel;
            if (pageRole == "answer")
            {
                await ours.CreateOfferAsync();
                await ours.Connected.WaitAsync(Patience);
                channel = await ours.CreateDataChannelAsync("ours");
            }
            else
            {
                channel = await ours.AcceptDataChannelAsync().WaitAsync(Patience);
                Assert.Equal("chromium", channel.Label);
            }
            await chromium.WaitForEventAsync(e => (string?)e["event"] == "channel" && (string?)e["state"] == "open", Patience);
            Assert.Equal(PeerConnectionState.Connected, ours.State);
            var pageCandidates = chromium.PageSignals.Select(Signal.Parse).OfType<CandidateSignal>().Select(c => IceCandidate.Parse(c.Candidate.Candidate)).ToList();
            var selected = ours.SelectedPair!;
            output.WriteLine($"Chromium's candidates: {string.Join(" | ", pageCandidates)}");
            output.WriteLine($"selected pair: {selected.Local} <-> {selected.Remote} at {selected.RemoteEndPoint}");
            // Chromium signalled only mDNS names; the path was learned from its checks (peer-reflexive, as seen
            // here) or, where multicast works, from the resolved name.
            Assert.NotEmpty(pageCandidates);
            Assert.All(pageCandidates.Where(c => c.IsUdp), c => Assert.True(c.IsMdnsName, c.ToString()));
            Assert.Contains(selected.Remote.Type, new[] { IceCandidateType.PeerReflexive, IceCandidateType.Host });

            var stream = channel.AsStream();
            var echoed = StreamChecks.ReadAsync(stream, EchoBytes, CancellationToken.None);
            var sent = await StreamChecks.WriteRandomAsync(stream, EchoBytes, 100_000, CancellationToken.None).WaitAsync(Patience);
            Assert.Equal(sent, await echoed.WaitAsync(Patience));

            await channel.CloseAsync().WaitAsync(Patience);
            await chromium.WaitForEventAsync(e => (string?)e["event"] == "channel" && (string?)e["state"] == "closed", Patience);
        }
        finally
        {
            await ours.CloseAsync();
        }
        Assert.True(ours.IsReleased);
    }
}
