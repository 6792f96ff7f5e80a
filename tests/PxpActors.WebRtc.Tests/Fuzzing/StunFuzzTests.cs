using System.Net;
using System.Text;
using PxpActors.TestSupport.Fuzzing;
using PxpActors.WebRtc.Stun;
using PxpActors.WebRtc.Stun.Attributes;
using PxpActors.WebRtc.Tests.Stun;
using Xunit;

namespace PxpActors.WebRtc.Tests.Fuzzing;

/// <summary>STUN messages and every attribute we read, as anyone on the network can send them to an ICE socket.</summary>
public sealed class StunFuzzTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Rfc5769Vectors.ShortTermPassword);

    private static List<byte[]> Seeds()
    {
        var id = StunTransactionId.Read([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]); // fixed: a printed failing input reproduces
        return
        [
            Rfc5769Vectors.SampleRequest,
            Rfc5769Vectors.SampleIPv4Response,
            Rfc5769Vectors.SampleIPv6Response,
            Rfc5769Vectors.SampleRequestLongTerm,
            new StunMessage(StunMessageType.BindingRequest, id,
            [
                new UsernameAttribute("remote:local"), new PriorityAttribute(1_845_501_695), new IceControllingAttribute(0x0102030405060708),
                new UseCandidateAttribute(), new SoftwareAttribute("pxp"),
            ]).Encode(Key, fingerprint: true),
            new StunMessage(StunMessageType.BindingSuccess, id,
            [
                new XorMappedAddressAttribute(IPEndPoint.Parse("[2001:db8::7]:40000")), new MappedAddressAttribute(IPEndPoint.Parse("192.0.2.1:3478")),
                new IceControlledAttribute(9),
            ]).Encode(Key, fingerprint: true),
            new StunMessage(StunMessageType.BindingError, id,
            [
                new ErrorCodeAttribute(420, "Unknown Attribute"), new UnknownAttributesAttribute([0x0001, 0x7FFF, 0x0033]),
                new RealmAttribute("example.org"), new NonceAttribute("f//499k954d6OL34oL9FSTvy64sA"), new UnknownAttribute(0x8055, [1, 2, 3]),
            ]).Encode(fingerprint: true),
        ];
    }

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Parse_must_throw_only_StunFormatException_and_allocate_within_its_input()
    {
        // The message keeps a copy of the datagram and its attributes; integrity is checked on a copy too.
        ParserFuzz.Run<StunFormatException>(SeedMutator.Of(Seeds()), input => StunMessage.Parse(input).VerifyIntegrity(Key),
            bytesPerInputByte: 16, fixedBytes: 16 * 1024).MustReachBothPaths();
    }
}
