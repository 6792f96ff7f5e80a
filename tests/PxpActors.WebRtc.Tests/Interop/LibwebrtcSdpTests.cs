using System.Security.Cryptography;
using PxpActors.TestSupport.Wrtc;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Sdp;
using PxpActors.WebRtc.Signaling;
using Xunit;

namespace PxpActors.WebRtc.Tests.Interop;

/// <summary>
/// Real offers and answers captured from libwebrtc (@roamhq/wrtc 0.10.0) in the test, parsed by our
/// Sdp/ and written back; and our descriptions fed to libwebrtc, which must accept them.
/// </summary>
public sealed class LibwebrtcSdpTests
{
    [SkippableFact]
    public async Task Libwebrtc_offer_must_round_trip_through_our_parser_byte_for_byte()
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Offerer);

        var sdp = await libwebrtc.CreateOfferAsync();

        var offer = SessionDescription.Parse(sdp);
        Assert.Equal(sdp, offer.ToString());
        var channel = offer.GetDataChannel();
        Assert.Equal(DtlsSetup.ActPass, channel.Setup);
        Assert.Equal(DtlsFingerprint.Sha256, channel.Fingerprint.Algorithm);
        Assert.True(channel.Trickle);
        Assert.Equal(MediaDescription.DataChannelProtocol, offer.Media[channel.MLineIndex].Protocol);
    }

    [SkippableFact]
    public async Task Libwebrtc_must_accept_our_offer_and_its_answer_must_round_trip_through_our_parser()
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Answerer);
        var certificate = DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(30));
        var offer = DataChannelSdp.CreateOffer(new DataChannelSdpParameters(RandomIceChars(8), RandomIceChars(24), certificate.Fingerprint));

        await libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Offer, offer.ToString());
        var sdp = await libwebrtc.CreateAnswerAsync();

        var answer = SessionDescription.Parse(sdp);
        Assert.Equal(sdp, answer.ToString());
        var channel = answer.GetDataChannel();
        Assert.Equal(DtlsSetup.Active, channel.Setup); // libwebrtc answers actpass with active: it will be the DTLS client
        Assert.Equal(DtlsRole.Server, DtlsRoleNegotiation.OffererRole(channel.Setup));
        Assert.Equal("0", channel.Mid);
        Assert.Equal(["0"], answer.Bundle!.Mids);
    }

    [SkippableFact]
    public async Task Libwebrtc_must_accept_our_answer_to_its_offer()
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Offerer);
        var offer = SessionDescription.Parse(await libwebrtc.CreateOfferAsync());
        var certificate = DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(30));

        var answer = DataChannelSdp.CreateAnswer(offer, new DataChannelSdpParameters(RandomIceChars(4), RandomIceChars(22), certificate.Fingerprint));

        await libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Answer, answer.ToString());
        Assert.Equal(DtlsSetup.Active, answer.GetDataChannel().Setup);
    }

    [SkippableFact]
    public async Task Libwebrtc_must_reject_an_answer_with_a_malformed_fingerprint_we_would_also_reject()
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Offerer);
        var offer = SessionDescription.Parse(await libwebrtc.CreateOfferAsync());
        var certificate = DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(30));
        var answer = DataChannelSdp.CreateAnswer(offer, new DataChannelSdpParameters(RandomIceChars(4), RandomIceChars(22), certificate.Fingerprint))
            .ToString().Replace(certificate.Fingerprint.Value, certificate.Fingerprint.Value[..^3]);

        Assert.Throws<SdpException>(() => SessionDescription.Parse(answer));
        var rejected = await Assert.ThrowsAsync<WrtcException>(() => libwebrtc.SetRemoteDescriptionAsync(SessionDescriptionType.Answer, answer));
        Assert.NotNull(rejected.LibwebrtcError);
    }

    [SkippableFact]
    public async Task Libwebrtc_trickled_candidates_must_parse_and_travel_as_simple_peer_signals()
    {
        await using var libwebrtc = await WrtcPeer.StartAsync(WrtcRole.Offerer);
        var offer = SessionDescription.Parse(await libwebrtc.CreateOfferAsync());

        var trickled = new List<IceCandidateInit>();
        while (await libwebrtc.NextCandidateAsync(trickled.Count) is { } next) trickled.Add(next);

        Assert.NotEmpty(trickled);
        foreach (var init in trickled)
        {
            var candidate = IceCandidate.Parse(init.Candidate);
            Assert.Equal(init.Candidate, candidate.ToString());
            Assert.Equal(0, init.SdpMLineIndex);
            Assert.Equal(offer.GetDataChannel().Mid, init.SdpMid);
            var signal = new CandidateSignal(init);
            Assert.Equal(signal, Signal.Parse(signal.ToJson()));
        }
    }

    private static string RandomIceChars(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", length);
}
