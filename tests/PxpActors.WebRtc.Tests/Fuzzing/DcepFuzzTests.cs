using PxpActors.TestSupport.Fuzzing;
using PxpActors.WebRtc.DataChannels;
using Xunit;

namespace PxpActors.WebRtc.Tests.Fuzzing;

/// <summary>DCEP messages (RFC 8832) as they arrive on an SCTP stream with PPID 50.</summary>
public sealed class DcepFuzzTests
{
    private static List<byte[]> Seeds() =>
    [
        new DataChannelOpenMessage(DataChannelType.Reliable, 0, 0, "pxp", "").ToArray(),
        new DataChannelOpenMessage(DataChannelType.PartialReliableTimed, 256, 1000, "label", "protocol").ToArray(),
        new DataChannelOpenMessage(DataChannelType.PartialReliableRexmitUnordered, 512, 3, "ünïcode ☃", "json").ToArray(),
        new DataChannelAckMessage().ToArray(),
    ];

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Parse_must_throw_only_DcepProtocolException_and_allocate_within_its_input()
    {
        // Label and protocol as strings: two bytes a character.
        ParserFuzz.Run<DcepProtocolException>(SeedMutator.Of(Seeds()), input => DcepMessage.Parse(input),
            bytesPerInputByte: 16, fixedBytes: 8 * 1024).MustReachBothPaths();
    }
}
