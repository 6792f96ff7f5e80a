using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Sdp;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sdp;

public sealed class DataChannelSdpTests
{
    private static readonly DtlsFingerprint Fingerprint =
        DtlsFingerprint.Parse("sha-256 06:70:15:13:B5:66:38:CD:96:04:83:24:90:0A:B9:B2:F3:29:94:E9:05:79:81:8B:AB:1C:23:35:AB:12:5B:79");

    private static readonly DataChannelSdpParameters Local = new("Ab+/", "0123456789abcdefABCDEF", Fingerprint);

    [Fact]
    public void CreateOffer_must_write_a_data_channel_offer_shaped_as_libwebrtc_writes_it()
    {
        var offer = DataChannelSdp.CreateOffer(Local, sessionId: 4215775240449105457);

        Assert.Equal(
            "v=0\r\n" +
            "o=- 4215775240449105457 2 IN IP4 127.0.0.1\r\n" +
            "s=-\r\n" +
            "t=0 0\r\n" +
            "a=group:BUNDLE 0\r\n" +
            "a=msid-semantic: WMS\r\n" +
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" +
            "c=IN IP4 0.0.0.0\r\n" +
            "a=ice-ufrag:Ab+/\r\n" +
            "a=ice-pwd:0123456789abcdefABCDEF\r\n" +
            "a=ice-options:trickle\r\n" +
            "a=fingerprint:sha-256 06:70:15:13:B5:66:38:CD:96:04:83:24:90:0A:B9:B2:F3:29:94:E9:05:79:81:8B:AB:1C:23:35:AB:12:5B:79\r\n" +
            "a=setup:actpass\r\n" +
            "a=mid:0\r\n" +
            "a=sctp-port:5000\r\n" +
            "a=max-message-size:262144\r\n",
            offer.ToString());
    }

    [Fact]
    public void CreateOffer_must_round_trip_through_the_parser_with_its_candidates()
    {
        var candidate = IceCandidate.Parse("candidate:1 1 udp 2122260223 127.0.0.1 5000 typ host generation 0");
        var offer = DataChannelSdp.CreateOffer(Local with { Candidates = [candidate] });

        var parsed = SessionDescription.Parse(offer.ToString());

        Assert.Equal(offer.ToString(), parsed.ToString());
        var channel = parsed.GetDataChannel();
        Assert.Equal(Local.IceUfrag, channel.IceUfrag);
        Assert.Equal(Fingerprint, channel.Fingerprint);
        Assert.Equal(candidate.ToString(), Assert.Single(channel.Candidates).ToString());
        Assert.NotEqual(offer.Origin.SessionId, DataChannelSdp.CreateOffer(Local).Origin.SessionId);
    }

    [Fact]
    public void CreateAnswer_must_answer_actpass_with_active_under_the_offered_mid()
    {
        var offer = SessionDescription.Parse(SdpSamples.LibwebrtcOffer);

        var answer = DataChannelSdp.CreateAnswer(offer, Local);

        var channel = SessionDescription.Parse(answer.ToString()).GetDataChannel();
        Assert.Equal(DtlsSetup.Active, channel.Setup);
        Assert.Equal("0", channel.Mid);
        Assert.Equal(["0"], answer.Bundle!.Mids);
    }

    [Fact]
    public void CreateAnswer_must_reject_audio_and_video_keeping_the_m_line_order()
    {
        var offer = SessionDescription.Parse(SdpSamples.ChromeAudioVideoDataOffer);

        var answer = SessionDescription.Parse(DataChannelSdp.CreateAnswer(offer, Local).ToString());

        Assert.Equal(["audio", "video", "application"], answer.Media.Select(m => m.Media));
        Assert.Equal(["0", "1", "2"], answer.Media.Select(m => m.Mid));
        Assert.True(answer.Media[0].IsRejected && answer.Media[1].IsRejected);
        Assert.Equal(offer.Media[0].Formats, answer.Media[0].Formats);
        Assert.Equal(2, answer.GetDataChannel().MLineIndex);
        Assert.Equal(["2"], answer.Bundle!.Mids);
    }

    [Theory]
    [InlineData("a=setup:actpass", DtlsSetup.Active)]
    [InlineData("a=setup:active", DtlsSetup.Passive)]
    [InlineData("a=setup:passive", DtlsSetup.Active)]
    public void CreateAnswer_must_pick_the_setup_that_complements_the_offer(string offered, DtlsSetup answered)
    {
        var offer = SessionDescription.Parse(SdpSamples.LibwebrtcOffer.Replace("a=setup:actpass", offered));

        Assert.Equal(answered, DataChannelSdp.CreateAnswer(offer, Local).GetDataChannel().Setup);
    }

    [Fact]
    public void CreateAnswer_must_refuse_an_offer_without_a_data_channel()
    {
        var offer = SessionDescription.Parse(SdpSamples.LibwebrtcOffer.Replace("webrtc-datachannel", "5000"));

        Assert.Throws<SdpException>(() => DataChannelSdp.CreateAnswer(offer, Local));
    }
}
