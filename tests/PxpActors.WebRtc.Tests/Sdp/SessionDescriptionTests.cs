using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;
using PxpActors.WebRtc.Sdp;
using Xunit;

namespace PxpActors.WebRtc.Tests.Sdp;

public sealed class SessionDescriptionTests
{
    [Fact]
    public void Parse_must_model_every_data_channel_attribute_of_a_libwebrtc_offer()
    {
        var description = SessionDescription.Parse(SdpSamples.LibwebrtcOffer);

        Assert.Equal(new SdpOrigin("-", "8586122768163967599", 2, "IN", "IP4", "127.0.0.1"), description.Origin);
        Assert.Equal(["0"], Assert.Single(description.Groups, g => g.Semantics == SdpGroup.Bundle).Mids);
        Assert.Equal(["extmap-allow-mixed", "msid-semantic"], description.Attributes.Select(a => a.Name));
        var media = Assert.Single(description.Media);
        Assert.True(media.IsDataChannel);
        Assert.Equal(47869, media.Port);
        Assert.Equal(new SdpConnection("IN", "IP4", "192.0.2.2"), media.Connection);
        Assert.Equal(4, media.Candidates.Count);
        Assert.Equal("127.0.0.1", media.Candidates[3].Address);
        Assert.Equal("G8jO", media.IceUfrag);
        Assert.Equal("EtVweRZteGf4PZL0HjDvTznV", media.IcePwd);
        Assert.Equal(["trickle"], media.IceOptions);
        Assert.Equal(DtlsFingerprint.Parse("sha-256 06:70:15:13:B5:66:38:CD:96:04:83:24:90:0A:B9:B2:F3:29:94:E9:05:79:81:8B:AB:1C:23:35:AB:12:5B:79"),
            Assert.Single(media.Fingerprints));
        Assert.Equal(DtlsSetup.ActPass, media.Setup);
        Assert.Equal("0", media.Mid);
        Assert.Equal(5000, media.SctpPort);
        Assert.Equal(262144, media.MaxMessageSize);
        Assert.Empty(media.Attributes);
    }

    [Theory]
    [InlineData(nameof(SdpSamples.LibwebrtcOffer))]
    [InlineData(nameof(SdpSamples.ChromeAudioVideoDataOffer))]
    public void ToString_must_write_a_libwebrtc_description_back_byte_for_byte(string sample)
    {
        var text = Sample(sample);

        Assert.Equal(text, SessionDescription.Parse(text).ToString());
    }

    [Fact]
    public void Parse_and_write_must_be_stable_for_a_Firefox_description()
    {
        var once = SessionDescription.Parse(SdpSamples.FirefoxOffer).ToString();

        Assert.Equal(once, SessionDescription.Parse(once).ToString());
        Assert.Contains("a=sendrecv\r\n", once);
        Assert.Contains("a=msid-semantic:WMS *\r\n", once);
    }

    [Fact]
    public void GetDataChannel_must_refuse_a_description_whose_only_fingerprint_is_sha1()
    {
        var sha1 = "sha-1 " + string.Join(':', Enumerable.Repeat("AB", 20));
        var offer = SessionDescription.Parse(SdpSamples.LibwebrtcOffer.Replace(
            "sha-256 06:70:15:13:B5:66:38:CD:96:04:83:24:90:0A:B9:B2:F3:29:94:E9:05:79:81:8B:AB:1C:23:35:AB:12:5B:79", sha1));

        var error = Assert.Throws<SdpException>(() => offer.GetDataChannel());
        Assert.Contains("sha-1", error.Message);
    }

    [Fact]
    public void GetDataChannel_must_apply_session_level_defaults_as_Firefox_sends_them()
    {
        var channel = SessionDescription.Parse(SdpSamples.FirefoxOffer).GetDataChannel();

        Assert.Equal(0, channel.MLineIndex);
        Assert.Equal("a1b2c3d4", channel.IceUfrag);
        Assert.Equal("0123456789abcdef0123456789abcdef", channel.IcePwd);
        Assert.True(channel.Trickle);
        Assert.StartsWith("1A:2B", channel.Fingerprint.Value);
        Assert.Equal(DtlsSetup.ActPass, channel.Setup);
        Assert.Equal(1073741823, channel.MaxMessageSize);
    }

    [Fact]
    public void GetDataChannel_must_find_the_data_section_after_audio_and_video_and_share_bundled_candidates()
    {
        var channel = SessionDescription.Parse(SdpSamples.ChromeAudioVideoDataOffer).GetDataChannel();

        Assert.Equal(2, channel.MLineIndex);
        Assert.Equal("2", channel.Mid);
        Assert.Equal(2, channel.Candidates.Count); // trickled on the bundle's first section
        Assert.True(channel.Candidates[1].IsMdnsName);
    }

    [Fact]
    public void GetDataChannel_must_default_the_sctp_port_and_message_size_per_RFC_8841()
    {
        var text = SdpSamples.LibwebrtcOffer.Replace("a=sctp-port:5000\r\n", "").Replace("a=max-message-size:262144\r\n", "");

        var channel = SessionDescription.Parse(text).GetDataChannel();

        Assert.Equal(5000, channel.SctpPort);
        Assert.Equal(65536, channel.MaxMessageSize);
    }

    [Fact]
    public void Parse_must_accept_bare_LF_line_ends()
    {
        var description = SessionDescription.Parse(SdpSamples.LibwebrtcOffer.Replace("\r\n", "\n"));

        Assert.Equal(SdpSamples.LibwebrtcOffer, description.ToString());
    }

    [Fact]
    public void Parse_must_keep_unknown_lines_and_attributes_in_order()
    {
        var text = SdpSamples.LibwebrtcOffer
            .Replace("s=-\r\n", "s=-\r\ni=a session\r\nb=AS:100\r\n")
            .Replace("c=IN IP4 192.0.2.2\r\n", "c=IN IP4 192.0.2.2\r\nb=AS:30\r\n")
            .Replace("a=mid:0\r\n", "a=mid:0\r\na=x-custom:1 2 3\r\na=flag\r\n");

        var description = SessionDescription.Parse(text);

        Assert.Equal(text, description.ToString());
        Assert.Equal([new SdpAttribute("x-custom", "1 2 3"), new SdpAttribute("flag")], description.Media[0].Attributes);
    }

    [Theory]
    [InlineData("", "starts with 'v=0'")]
    [InlineData("v=1\r\n", "starts with 'v=0'")]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n", "no 't=' line")]
    [InlineData("v=0\r\ns=-\r\nt=0 0\r\n", "no 'o=' line")]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nt=0 0\r\n", "no 's=' line")]
    [InlineData("v=0\r\no=- 1 2 IN IP4\r\ns=-\r\nt=0 0\r\n", "Line 2: 'o=' has six")]
    [InlineData("v=0\r\no=- x 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", "session id 'x'")]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nhello\r\n", "Line 5 is not 'x=value'")]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n\r\n", "Line 5 is not 'x=value'")]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP\r\n", "Line 5: 'm=' is")]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 70000 UDP/DTLS/SCTP webrtc-datachannel\r\n", "port '70000'")]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4\r\n", "'c=' is")]
    public void Parse_must_reject_malformed_structure_naming_the_line(string text, string expected)
    {
        var error = Assert.Throws<SdpException>(() => SessionDescription.Parse(text));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("a=setup:actpass", "a=setup:holdconn", "not actpass, active or passive")]
    [InlineData("a=setup:actpass", "a=setup:", "a=setup needs a value")]
    [InlineData("a=mid:0", "a=mid:0\r\na=mid:1", "a second a=mid")]
    [InlineData("a=ice-ufrag:G8jO", "a=ice-ufrag:G8jO\r\na=ice-ufrag:abcd", "a second a=ice-ufrag")]
    [InlineData("a=ice-ufrag:G8jO", "a=ice-ufrag:G8j", "RFC 8839 allows 4 to 256")]
    [InlineData("a=ice-pwd:EtVweRZteGf4PZL0HjDvTznV", "a=ice-pwd:short", "RFC 8839 allows 22 to 256")]
    [InlineData("a=ice-pwd:EtVweRZteGf4PZL0HjDvTznV", "a=ice-pwd:EtVweRZteGf4PZL0HjDvTzn;", "outside ALPHA / DIGIT")]
    [InlineData("a=fingerprint:sha-256 06:70", "a=fingerprint:sha-256 XX:70", "not colon-separated hex pairs")]
    [InlineData("a=fingerprint:sha-256 06:70:15", "a=fingerprint:sha-256 06:15", "32 bytes")]
    [InlineData("a=sctp-port:5000", "a=sctp-port:0", "is not 1-65535")]
    [InlineData("a=sctp-port:5000", "a=sctp-port:99999", "is not 1-65535")]
    [InlineData("a=max-message-size:262144", "a=max-message-size:-1", "non-negative integer")]
    [InlineData("a=candidate:559267639 1 udp 2122136831 ::1 35519 typ host", "a=candidate:559267639 1 udp 2122136831 ::1 port typ host", "Line 12:")]
    [InlineData("a=mid:0", "a=mid:0 1", "short token")]
    [InlineData("a=mid:0", "a= mid:0", "not a token")]
    public void Parse_must_reject_a_malformed_WebRTC_attribute(string original, string replacement, string expected)
    {
        var text = SdpSamples.LibwebrtcOffer.Replace(original, replacement);
        Assert.NotEqual(SdpSamples.LibwebrtcOffer, text);

        var error = Assert.Throws<SdpException>(() => SessionDescription.Parse(text));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Parse_must_bound_the_input()
    {
        var huge = SdpSamples.LibwebrtcOffer + string.Concat(Enumerable.Repeat("a=x-padding:0123456789\r\n", 6000));
        Assert.Contains("limit", Assert.Throws<SdpException>(() => SessionDescription.Parse(huge)).Message);

        var manySections = SdpSamples.LibwebrtcOffer + string.Concat(Enumerable.Repeat("m=audio 0 RTP/AVP 0\r\n", 65));
        Assert.Contains("more than 64 media sections", Assert.Throws<SdpException>(() => SessionDescription.Parse(manySections)).Message);
    }

    [Theory]
    [InlineData("m=application 47869 UDP/DTLS/SCTP webrtc-datachannel", "m=application 0 UDP/DTLS/SCTP webrtc-datachannel", "no data channel section")]
    [InlineData("m=application 47869 UDP/DTLS/SCTP webrtc-datachannel", "m=audio 47869 UDP/TLS/RTP/SAVPF 111", "no data channel section")]
    [InlineData("a=ice-ufrag:G8jO\r\n", "", "no a=ice-ufrag")]
    [InlineData("a=ice-pwd:EtVweRZteGf4PZL0HjDvTznV\r\n", "", "no a=ice-pwd")]
    [InlineData("a=fingerprint:sha-256 06:70:15:13:B5:66:38:CD:96:04:83:24:90:0A:B9:B2:F3:29:94:E9:05:79:81:8B:AB:1C:23:35:AB:12:5B:79\r\n", "", "no a=fingerprint")]
    [InlineData("a=fingerprint:sha-256 06:70:15:13:B5:66:38:CD:96:04:83:24:90:0A:B9:B2:F3:29:94:E9:05:79:81:8B:AB:1C:23:35:AB:12:5B:79\r\n", "a=fingerprint:md5 06:70\r\n", "cannot verify (md5)")]
    public void GetDataChannel_must_explain_what_is_missing(string original, string replacement, string expected)
    {
        var description = SessionDescription.Parse(SdpSamples.LibwebrtcOffer.Replace(original, replacement));

        Assert.Contains(expected, Assert.Throws<SdpException>(() => description.GetDataChannel()).Message);
    }

    private static string Sample(string name) =>
        (string)typeof(SdpSamples).GetField(name, System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public)!.GetValue(null)!;
}
