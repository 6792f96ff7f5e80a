using System.Text;
using PxpActors.TestSupport.Fuzzing;
using PxpActors.WebRtc.Ice;
using Xunit;

namespace PxpActors.WebRtc.Tests.Fuzzing;

/// <summary>Candidate lines as the peer trickles them in signals (the SDP fuzz covers those inside a description).</summary>
public sealed class IceCandidateFuzzTests
{
    private static List<byte[]> Seeds() =>
    [
        .. new[]
        {
            "candidate:3229573512 1 udp 2122194687 192.0.2.2 47869 typ host generation 0 ufrag G8jO network-id 1",
            "candidate:842163049 1 udp 1677729535 203.0.113.7 61234 typ srflx raddr 192.0.2.2 rport 47869 generation 0",
            "a=candidate:1 1 UDP 2122260223 c6b6e1a2-7d15-4f5e-9a8e-1d7f0b8e0c57.local 54400 typ host",
            "candidate:2 1 udp 2122262783 fd00::2 41328 typ host tcptype passive",
            "candidate:7 1 udp 41885695 198.51.100.3 3478 typ relay raddr 0.0.0.0 rport 0",
        }.Select(Encoding.UTF8.GetBytes),
    ];

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Parse_must_throw_only_IceFormatException_and_allocate_within_its_input()
    {
        // The line as a string, its fields split off and the candidate's strings: a few copies of the input.
        ParserFuzz.Run<IceFormatException>(SeedMutator.Of(Seeds()), input => IceCandidate.Parse(Encoding.UTF8.GetString(input)),
            bytesPerInputByte: 16, fixedBytes: 8 * 1024).MustReachBothPaths();
    }
}
