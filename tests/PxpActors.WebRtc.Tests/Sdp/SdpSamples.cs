namespace PxpActors.WebRtc.Tests.Sdp;

/// <summary>Descriptions as real stacks write them (the libwebrtc one captured from @roamhq/wrtc 0.10.0).</summary>
internal static class SdpSamples
{
    public const string LibwebrtcOffer =
        "v=0\r\n" +
        "o=- 8586122768163967599 2 IN IP4 127.0.0.1\r\n" +
        "s=-\r\n" +
        "t=0 0\r\n" +
        "a=group:BUNDLE 0\r\n" +
        "a=extmap-allow-mixed\r\n" +
        "a=msid-semantic: WMS\r\n" +
        "m=application 47869 UDP/DTLS/SCTP webrtc-datachannel\r\n" +
        "c=IN IP4 192.0.2.2\r\n" +
        "a=candidate:3077952869 1 udp 2122265343 fd00::2 41328 typ host generation 0 network-id 2\r\n" +
        "a=candidate:3229573512 1 udp 2122194687 192.0.2.2 47869 typ host generation 0 network-id 1\r\n" +
        "a=candidate:559267639 1 udp 2122136831 ::1 35519 typ host generation 0 network-id 4\r\n" +
        "a=candidate:1510613869 1 udp 2122063615 127.0.0.1 46764 typ host generation 0 network-id 3\r\n" +
        "a=ice-ufrag:G8jO\r\n" +
        "a=ice-pwd:EtVweRZteGf4PZL0HjDvTznV\r\n" +
        "a=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 06:70:15:13:B5:66:38:CD:96:04:83:24:90:0A:B9:B2:F3:29:94:E9:05:79:81:8B:AB:1C:23:35:AB:12:5B:79\r\n" +
        "a=setup:actpass\r\n" +
        "a=mid:0\r\n" +
        "a=sctp-port:5000\r\n" +
        "a=max-message-size:262144\r\n";

    /// <summary>Firefox style: fingerprint, ICE options and BUNDLE at session level, credentials per section.</summary>
    public const string FirefoxOffer =
        "v=0\r\n" +
        "o=mozilla...THIS_IS_SDPARTA-99.0 4405683391262510224 0 IN IP4 0.0.0.0\r\n" +
        "s=-\r\n" +
        "t=0 0\r\n" +
        "a=fingerprint:sha-256 1A:2B:3C:4D:5E:6F:70:81:92:A3:B4:C5:D6:E7:F8:09:1A:2B:3C:4D:5E:6F:70:81:92:A3:B4:C5:D6:E7:F8:09\r\n" +
        "a=group:BUNDLE 0\r\n" +
        "a=ice-options:trickle\r\n" +
        "a=msid-semantic:WMS *\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" +
        "c=IN IP4 0.0.0.0\r\n" +
        "a=sendrecv\r\n" +
        "a=ice-pwd:0123456789abcdef0123456789abcdef\r\n" +
        "a=ice-ufrag:a1b2c3d4\r\n" +
        "a=mid:0\r\n" +
        "a=setup:actpass\r\n" +
        "a=sctp-port:5000\r\n" +
        "a=max-message-size:1073741823\r\n";

    /// <summary>Chromium style with audio and video before the data channel (codec lists shortened).</summary>
    public const string ChromeAudioVideoDataOffer =
        "v=0\r\n" +
        "o=- 1471829301122497335 2 IN IP4 127.0.0.1\r\n" +
        "s=-\r\n" +
        "t=0 0\r\n" +
        "a=group:BUNDLE 0 1 2\r\n" +
        "a=extmap-allow-mixed\r\n" +
        "a=msid-semantic: WMS 3b1c0f1a\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n" +
        "c=IN IP4 0.0.0.0\r\n" +
        "a=rtcp:9 IN IP4 0.0.0.0\r\n" +
        "a=candidate:1467250027 1 udp 2122260223 192.168.1.7 51562 typ host generation 0 network-id 1 network-cost 10\r\n" +
        "a=candidate:2944306374 1 udp 2113937151 4f1a9c3e-2b7d-4c8e-9f0a-1b2c3d4e5f60.local 54400 typ host generation 0 network-cost 999\r\n" +
        "a=ice-ufrag:Qm9x\r\n" +
        "a=ice-pwd:u7aZ4c2m0yWm1Hk9PqRsT3vX\r\n" +
        "a=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99\r\n" +
        "a=setup:actpass\r\n" +
        "a=mid:0\r\n" +
        "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n" +
        "a=sendrecv\r\n" +
        "a=msid:3b1c0f1a 9d8e7f6a\r\n" +
        "a=rtcp-mux\r\n" +
        "a=rtpmap:111 opus/48000/2\r\n" +
        "a=rtcp-fb:111 transport-cc\r\n" +
        "a=fmtp:111 minptime=10;useinbandfec=1\r\n" +
        "a=rtpmap:63 red/48000/2\r\n" +
        "a=ssrc:1234567890 cname:AbCdEfGhIjKlMnOp\r\n" +
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97\r\n" +
        "c=IN IP4 0.0.0.0\r\n" +
        "a=rtcp:9 IN IP4 0.0.0.0\r\n" +
        "a=ice-ufrag:Qm9x\r\n" +
        "a=ice-pwd:u7aZ4c2m0yWm1Hk9PqRsT3vX\r\n" +
        "a=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99\r\n" +
        "a=setup:actpass\r\n" +
        "a=mid:1\r\n" +
        "a=sendrecv\r\n" +
        "a=rtcp-mux\r\n" +
        "a=rtcp-rsize\r\n" +
        "a=rtpmap:96 VP8/90000\r\n" +
        "a=rtpmap:97 rtx/90000\r\n" +
        "a=fmtp:97 apt=96\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n" +
        "c=IN IP4 0.0.0.0\r\n" +
        "a=ice-ufrag:Qm9x\r\n" +
        "a=ice-pwd:u7aZ4c2m0yWm1Hk9PqRsT3vX\r\n" +
        "a=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99\r\n" +
        "a=setup:actpass\r\n" +
        "a=mid:2\r\n" +
        "a=sctp-port:5000\r\n" +
        "a=max-message-size:262144\r\n";
}
