using System.Text;
using PxpActors.TestSupport.Fuzzing;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Sdp;
using PxpActors.WebRtc.Tests.Sdp;
using Xunit;

namespace PxpActors.WebRtc.Tests.Fuzzing;

/// <summary>A peer's offer or answer, read as we read it: parsed, then its data channel section taken apart.</summary>
public sealed class SdpFuzzTests
{
    private static List<byte[]> Seeds()
    {
        var local = new DataChannelSdpParameters("Ab+/", "0123456789abcdefABCDEF", DtlsFingerprint.Compute("certificate"u8));
        var answer = DataChannelSdp.CreateAnswer(SessionDescription.Parse(SdpSamples.LibwebrtcOffer), local, sessionId: 4242).ToString();
        return [.. new[] { SdpSamples.LibwebrtcOffer, SdpSamples.FirefoxOffer, answer }.Select(Encoding.UTF8.GetBytes)];
    }

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Parse_must_throw_only_SdpException_and_allocate_within_its_input()
    {
        // Text is UTF-16 and split into lines and fields, each kept in the parsed description: about a dozen bytes a byte.
        ParserFuzz.Run<SdpException>(SeedMutator.Of(Seeds()), input =>
        {
            var description = SessionDescription.Parse(Encoding.UTF8.GetString(input));
            description.GetDataChannel();
        }, bytesPerInputByte: 24, fixedBytes: 16 * 1024).MustReachBothPaths();
    }
}
