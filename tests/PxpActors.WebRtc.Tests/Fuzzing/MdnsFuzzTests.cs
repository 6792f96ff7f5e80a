using System.Net;
using PxpActors.TestSupport.Fuzzing;
using PxpActors.WebRtc.Ice.Mdns;
using PxpActors.WebRtc.Tests.Ice.Mdns;
using Xunit;

namespace PxpActors.WebRtc.Tests.Fuzzing;

/// <summary>mDNS responses as anyone on the link can send them to the socket of a pending lookup.</summary>
public sealed class MdnsFuzzTests
{
    private const string Name = "c6b6e1a2-7d15-4f5e-9a8e-1d7f0b8e0c57.local";

    private static List<byte[]> Seeds()
    {
        var query = MdnsMessage.Query(7, Name);
        return
        [
            MdnsResponses.Answer(query, (MdnsMessage.TypeA, [192, 168, 1, 23])),
            MdnsResponses.Answer(query, (MdnsMessage.TypeA, [10, 0, 0, 1]), (MdnsMessage.TypeAaaa, IPAddress.Parse("fd00::17").GetAddressBytes()),
                (16, [3, (byte)'t', (byte)'x', (byte)'t'])),
            query,
        ];
    }

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void ParseResponse_must_throw_only_MdnsFormatException_and_allocate_within_its_input()
    {
        // Names are compared in place: only the addresses found are allocated.
        ParserFuzz.Run<MdnsFormatException>(SeedMutator.Of(Seeds()), input => MdnsMessage.ParseResponse(input, Name),
            bytesPerInputByte: 8, fixedBytes: 8 * 1024).MustReachBothPaths();
    }
}
