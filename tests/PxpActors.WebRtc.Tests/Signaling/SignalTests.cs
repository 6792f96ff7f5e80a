using System.Text;
using System.Text.Json;
using PxpActors.WebRtc.Signaling;
using Xunit;

namespace PxpActors.WebRtc.Tests.Signaling;

public sealed class SignalTests
{
    private const string OfferSdp =
        "v=0\r\no=- 8586122768163967599 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-pwd:EtVweRZteGf4PZL0/+jDvTznV\r\n";

    [Fact]
    public void Offer_signal_must_serialize_to_the_exact_simple_peer_bytes()
    {
        var signal = new SessionDescriptionSignal(SessionDescriptionType.Offer, OfferSdp);

        Assert.Equal(
            """{"type":"offer","sdp":"v=0\r\no=- 8586122768163967599 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=ice-pwd:EtVweRZteGf4PZL0/+jDvTznV\r\n"}""",
            signal.ToJson());
    }

    [Fact]
    public void Answer_signal_must_serialize_to_the_exact_simple_peer_bytes()
    {
        Assert.Equal("""{"type":"answer","sdp":"v=0\r\n"}""",
            new SessionDescriptionSignal(SessionDescriptionType.Answer, "v=0\r\n").ToJson());
    }

    [Fact]
    public void Candidate_signal_must_serialize_to_the_exact_simple_peer_bytes()
    {
        var signal = new CandidateSignal(new IceCandidateInit(
            "candidate:3229573512 1 udp 2122194687 192.0.2.2 47869 typ host generation 0 ufrag G8jO network-id 1", 0, "0"));

        Assert.Equal(
            """{"candidate":{"candidate":"candidate:3229573512 1 udp 2122194687 192.0.2.2 47869 typ host generation 0 ufrag G8jO network-id 1","sdpMLineIndex":0,"sdpMid":"0"}}""",
            signal.ToJson());
    }

    [Fact]
    public void Candidate_signal_must_write_missing_locators_as_null_like_JSON_stringify()
    {
        Assert.Equal("""{"candidate":{"candidate":"candidate:1 1 udp 1 ::1 9 typ host","sdpMLineIndex":null,"sdpMid":"audio"}}""",
            new CandidateSignal(new IceCandidateInit("candidate:1 1 udp 1 ::1 9 typ host", null, "audio")).ToJson());
    }

    [Fact]
    public void Signal_must_escape_only_what_JSON_stringify_escapes()
    {
        // JSON.stringify('é😀<>&\'"\\\u0001\t') === '"é😀<>&\'\\"\\\\\\u0001\\t"'
        var signal = new SessionDescriptionSignal(SessionDescriptionType.Offer, "é😀<>&'\"\\\u0001\t");

        Assert.Equal(Encoding.UTF8.GetBytes("{\"type\":\"offer\",\"sdp\":\"é😀<>&'\\\"\\\\\\u0001\\t\"}"), signal.ToUtf8Json());
    }

    [Theory]
    [InlineData("""{"type":"offer","sdp":"v=0\r\n"}""")]
    [InlineData("""{"type":"answer","sdp":"v=0\r\na=x\r\n"}""")]
    [InlineData("""{"candidate":{"candidate":"candidate:1 1 udp 1 1.2.3.4 5 typ host","sdpMLineIndex":0,"sdpMid":"0"}}""")]
    [InlineData("""{"candidate":{"candidate":"candidate:1 1 udp 1 1.2.3.4 5 typ host","sdpMLineIndex":null,"sdpMid":"data"}}""")]
    public void Signal_must_round_trip_byte_for_byte(string json)
    {
        Assert.Equal(json, Signal.Parse(json).ToJson());
    }

    [Fact]
    public void Signal_must_parse_into_the_matching_record()
    {
        Assert.Equal(new SessionDescriptionSignal(SessionDescriptionType.Answer, "v=0\r\n"),
            Signal.Parse("""{"sdp":"v=0\r\n","type":"answer"}"""));
        Assert.Equal(new CandidateSignal(new IceCandidateInit("candidate:x", 1, null)),
            Signal.Parse("""{"candidate":{"sdpMLineIndex":1,"candidate":"candidate:x"}}"""));
    }

    [Fact]
    public void Signal_must_work_through_JsonSerializer_inside_another_document()
    {
        var upgrade = new Dictionary<string, object> { ["transport"] = "webrtc", ["signal"] = new CandidateSignal(new IceCandidateInit("candidate:x", 0, "0")) };

        var json = JsonSerializer.Serialize(upgrade);

        Assert.Equal("""{"transport":"webrtc","signal":{"candidate":{"candidate":"candidate:x","sdpMLineIndex":0,"sdpMid":"0"}}}""", json);
        var element = JsonDocument.Parse(json).RootElement.GetProperty("signal");
        Assert.Equal(upgrade["signal"], element.Deserialize<Signal>());
    }

    [Fact]
    public void Signal_must_refuse_an_oversized_input_before_parsing_it()
    {
        var huge = $"{{\"type\":\"offer\",\"sdp\":\"{new string('a', Signal.MaxUtf8Length)}\"}}";

        Assert.Contains("exceeds", Assert.Throws<SignalFormatException>(() => Signal.Parse(huge)).Message);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "JSON object")]
    [InlineData("{}", "neither 'sdp' nor 'candidate'")]
    [InlineData("""{"type":"pranswer","sdp":"v=0"}""", "'pranswer'")]
    [InlineData("""{"type":"offer"}""", "string 'sdp'")]
    [InlineData("""{"type":"offer","sdp":""}""", "empty 'sdp'")]
    [InlineData("""{"sdp":"v=0"}""", "string 'type'")]
    [InlineData("""{"candidate":"candidate:x"}""", "is an object")]
    [InlineData("""{"candidate":{"sdpMid":"0"}}""", "string 'candidate'")]
    [InlineData("""{"candidate":{"candidate":"candidate:x","sdpMLineIndex":-1}}""", "non-negative integer")]
    [InlineData("""{"candidate":{"candidate":"candidate:x","sdpMLineIndex":0.5}}""", "non-negative integer")]
    [InlineData("""{"candidate":{"candidate":"candidate:x","sdpMid":7}}""", "string or null")]
    [InlineData("""{"candidate":{"candidate":"candidate:x"}}""", "neither 'sdpMLineIndex' nor 'sdpMid'")]
    [InlineData("""{"type":"offer","sdp":"v=0"} {}""", "not valid JSON")]
    public void Signal_must_reject_malformed_input_with_a_clear_error(string json, string expected)
    {
        var error = Assert.Throws<SignalFormatException>(() => Signal.Parse(json));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("{\"type\":\"offer\",\"sdp\":\"v=0\xFF\"}")] // found by SignalFuzzTests
    [InlineData("{\"candidate\":{\"candidate\":\"candidate:x\",\"sdpMid\":\"\xC3\"}}")]
    public void Signal_must_reject_strings_that_are_not_UTF_8(string latin1)
    {
        var bytes = latin1.Select(c => (byte)c).ToArray();

        var error = Assert.Throws<SignalFormatException>(() => Signal.Parse(bytes));
        Assert.Contains("UTF-8", error.Message);
    }
}
