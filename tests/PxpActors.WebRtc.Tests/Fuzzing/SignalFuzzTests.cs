using PxpActors.TestSupport.Fuzzing;
using PxpActors.WebRtc.Signaling;
using PxpActors.WebRtc.Tests.Sdp;
using Xunit;

namespace PxpActors.WebRtc.Tests.Fuzzing;

/// <summary>simple-peer signals as the remote peer sends them inside <c>upgrade</c> messages.</summary>
public sealed class SignalFuzzTests
{
    private static List<byte[]> Seeds() =>
    [
        new SessionDescriptionSignal(SessionDescriptionType.Offer, SdpSamples.LibwebrtcOffer).ToUtf8Json(),
        new SessionDescriptionSignal(SessionDescriptionType.Answer, SdpSamples.FirefoxOffer).ToUtf8Json(),
        new CandidateSignal(new IceCandidateInit(
            "candidate:3229573512 1 udp 2122194687 192.0.2.2 47869 typ host generation 0 ufrag G8jO network-id 1", 0, "0")).ToUtf8Json(),
        new CandidateSignal(new IceCandidateInit("", null, null)).ToUtf8Json(), // end of candidates
    ];

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Parse_must_throw_only_SignalFormatException_and_allocate_within_its_input()
    {
        // A copy for JsonDocument, its token table, and the strings read out (UTF-16: two bytes a character).
        ParserFuzz.Run<SignalFormatException>(SeedMutator.Of(Seeds()), input => Signal.Parse(input),
            bytesPerInputByte: 12, fixedBytes: 16 * 1024).MustReachBothPaths();
    }
}
