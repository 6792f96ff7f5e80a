using System.Buffers.Binary;
using System.Net;
using PxpActors.WebRtc.Stun;
using PxpActors.WebRtc.Stun.Attributes;
using Xunit;

namespace PxpActors.WebRtc.Tests.Stun;

public sealed class StunMessageTests
{
    private static readonly byte[] Key = StunCredentials.ShortTermKey("a-password-of-22-chars");

    public static TheoryData<StunAttribute> Attributes => new()
    {
        new MappedAddressAttribute(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 3478)),
        new MappedAddressAttribute(new IPEndPoint(IPAddress.Parse("fd00::1234"), 1)),
        new XorMappedAddressAttribute(new IPEndPoint(IPAddress.Parse("203.0.113.7"), 65535)),
        new XorMappedAddressAttribute(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 0)),
        new UsernameAttribute("remote:local"),
        new UsernameAttribute(new string('u', UsernameAttribute.MaxBytes)),
        new SoftwareAttribute("PxpActors ☃"),
        new RealmAttribute("example.org"),
        new NonceAttribute("nonce-value"),
        new ErrorCodeAttribute(487, "Role Conflict"),
        new ErrorCodeAttribute(300, ""),
        new ErrorCodeAttribute(699, "x"),
        new UnknownAttributesAttribute([0x0002, 0x7fff, 0x0003]),
        new PriorityAttribute(0x7effffff),
        UseCandidateAttribute.Instance,
        new IceControllingAttribute(ulong.MaxValue),
        new IceControlledAttribute(1),
        new UnknownAttribute(0xC057, [0, 1, 0, 2, 9]),
    };

    [Theory]
    [MemberData(nameof(Attributes))]
    public void Attribute_must_survive_a_round_trip(StunAttribute attribute)
    {
        var transaction = StunTransactionId.New();
        var encoded = new StunMessage(StunMessageType.BindingRequest, transaction, [attribute]).Encode(Key, fingerprint: true);
        var parsed = StunMessage.Parse(encoded);

        Assert.Equal(transaction, parsed.TransactionId);
        Assert.Equal(3, parsed.Attributes.Count);
        AssertEquivalent(attribute, parsed.Attributes[0]);
        Assert.IsType<MessageIntegrityAttribute>(parsed.Attributes[1]);
        Assert.IsType<FingerprintAttribute>(parsed.Attributes[2]);
        Assert.True(parsed.VerifyIntegrity(Key));
    }

    [Theory]
    [InlineData(StunMethod.Binding, StunClass.Request, 0x0001)]
    [InlineData(StunMethod.Binding, StunClass.Indication, 0x0011)]
    [InlineData(StunMethod.Binding, StunClass.SuccessResponse, 0x0101)]
    [InlineData(StunMethod.Binding, StunClass.ErrorResponse, 0x0111)]
    [InlineData(0x003, StunClass.Request, 0x0003)]       // TURN Allocate
    [InlineData(0xFFF, StunClass.ErrorResponse, 0x3FFF)]
    [InlineData(0xF80, StunClass.Request, 0x3E00)]
    public void Message_type_must_interleave_method_and_class(ushort method, StunClass cls, ushort wire)
    {
        var type = new StunMessageType(method, cls);
        Assert.Equal(wire, type.ToWire());
        Assert.Equal(type, StunMessageType.FromWire(wire));
    }

    [Fact]
    public void Message_without_integrity_or_fingerprint_must_round_trip()
    {
        var message = new StunMessage(StunMessageType.BindingRequest, StunTransactionId.New(), []);
        var encoded = message.Encode();
        Assert.Equal(20, encoded.Length);
        var parsed = StunMessage.Parse(encoded);
        Assert.Empty(parsed.Attributes);
        Assert.False(parsed.VerifyIntegrity(Key));
        Assert.True(StunMessage.IsStun(encoded));
    }

    [Fact]
    public void Attributes_after_message_integrity_must_be_ignored_but_fingerprint_kept()
    {
        var encoded = new StunMessage(StunMessageType.BindingRequest, StunTransactionId.New(), [new UsernameAttribute("a:b")])
            .Encode(Key);
        // Append a SOFTWARE attribute after MESSAGE-INTEGRITY by hand.
        var extra = new byte[] { 0x80, 0x22, 0x00, 0x04, (byte)'e', (byte)'v', (byte)'i', (byte)'l' };
        var tampered = encoded.Concat(extra).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(tampered.AsSpan(2), (ushort)(tampered.Length - 20));

        var parsed = StunMessage.Parse(tampered);
        Assert.False(parsed.Has<SoftwareAttribute>());
        Assert.True(parsed.VerifyIntegrity(Key));
    }

    [Fact]
    public void Unknown_comprehension_required_attributes_must_be_reported()
    {
        var encoded = new StunMessage(StunMessageType.BindingRequest, StunTransactionId.New(),
            [new UnknownAttribute(0x0031, [1, 2, 3, 4]), new UnknownAttribute(0xC001, [1, 2, 3, 4])]).Encode();
        Assert.Equal(new ushort[] { 0x0031 }, StunMessage.Parse(encoded).UnknownComprehensionRequired);
    }

    [Fact]
    public void Encode_must_refuse_integrity_or_fingerprint_listed_as_attributes()
    {
        var parsed = StunMessage.Parse(Rfc5769Vectors.SampleRequest);
        var copy = new StunMessage(parsed.Type, parsed.TransactionId, parsed.Attributes);
        Assert.Throws<InvalidOperationException>(() => copy.Encode());
    }

    [Fact]
    public void Attribute_constructors_must_refuse_values_that_cannot_be_encoded()
    {
        Assert.Throws<ArgumentException>(() => new UsernameAttribute(new string('u', UsernameAttribute.MaxBytes + 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ErrorCodeAttribute(299, "x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ErrorCodeAttribute(700, "x"));
    }

    private static void AssertEquivalent(StunAttribute expected, StunAttribute actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        switch (expected)
        {
            case UnknownAttributesAttribute u:
                Assert.Equal(u.Types, ((UnknownAttributesAttribute)actual).Types);
                break;
            case UnknownAttribute u:
                Assert.Equal(u.AttributeType, ((UnknownAttribute)actual).AttributeType);
                Assert.Equal(u.Value, ((UnknownAttribute)actual).Value);
                break;
            case MappedAddressAttribute m:
                Assert.Equal(m.EndPoint, ((MappedAddressAttribute)actual).EndPoint);
                break;
            case XorMappedAddressAttribute x:
                Assert.Equal(x.EndPoint, ((XorMappedAddressAttribute)actual).EndPoint);
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }
}
