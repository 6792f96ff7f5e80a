using System.Buffers.Binary;
using PxpActors.WebRtc.Stun;
using PxpActors.WebRtc.Stun.Attributes;
using Xunit;

namespace PxpActors.WebRtc.Tests.Stun;

/// <summary>Bad input from the network must end in a <see cref="StunFormatException"/>, never anything else.</summary>
public sealed class StunMalformedTests
{
    private static byte[] Header(int bodyLength, ushort type = 0x0001)
    {
        var header = new byte[20 + bodyLength];
        BinaryPrimitives.WriteUInt16BigEndian(header, type);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)bodyLength);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), StunMessage.MagicCookie);
        return header;
    }

    private static byte[] WithAttribute(ushort type, byte[] value, int declaredLength = -1)
    {
        var padded = (value.Length + 3) & ~3;
        var message = Header(4 + padded);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(20), type);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(22), (ushort)(declaredLength < 0 ? value.Length : declaredLength));
        value.CopyTo(message, 24);
        return message;
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "empty", [] },
        { "short header", new byte[19] },
        { "top bits set", Patch(Header(0), 0, 0xC0) },
        { "no magic cookie", Patch(Header(0), 4, 0x00) },
        { "length not a multiple of 4", Patch(Header(4), 3, 0x02) },
        { "length larger than datagram", Patch(Header(0), 3, 0x04) },
        { "length smaller than datagram", Header(4).Concat(new byte[4]).ToArray() },
        { "attribute longer than message", WithAttribute(StunAttributeType.Software, [1, 2, 3, 4], declaredLength: 8) },
        { "XOR-MAPPED-ADDRESS family 3", WithAttribute(StunAttributeType.XorMappedAddress, [0, 3, 0, 1, 1, 2, 3, 4]) },
        { "XOR-MAPPED-ADDRESS IPv4 too long", WithAttribute(StunAttributeType.XorMappedAddress, [0, 1, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8]) },
        { "XOR-MAPPED-ADDRESS too short", WithAttribute(StunAttributeType.XorMappedAddress, [0, 1]) },
        { "MAPPED-ADDRESS IPv6 too short", WithAttribute(StunAttributeType.MappedAddress, [0, 2, 0, 1, 1, 2, 3, 4]) },
        { "PRIORITY of 3 bytes", WithAttribute(StunAttributeType.Priority, [1, 2, 3]) },
        { "ICE-CONTROLLING of 4 bytes", WithAttribute(StunAttributeType.IceControlling, [1, 2, 3, 4]) },
        { "ICE-CONTROLLED of 12 bytes", WithAttribute(StunAttributeType.IceControlled, new byte[12]) },
        { "USE-CANDIDATE with a value", WithAttribute(StunAttributeType.UseCandidate, [1, 2, 3, 4]) },
        { "MESSAGE-INTEGRITY of 16 bytes", WithAttribute(StunAttributeType.MessageIntegrity, new byte[16]) },
        { "ERROR-CODE too short", WithAttribute(StunAttributeType.ErrorCode, [0, 0, 4]) },
        { "ERROR-CODE class 7", WithAttribute(StunAttributeType.ErrorCode, [0, 0, 7, 0]) },
        { "ERROR-CODE number 100", WithAttribute(StunAttributeType.ErrorCode, [0, 0, 4, 100]) },
        { "USERNAME not UTF-8", WithAttribute(StunAttributeType.Username, [0xC3, 0x28]) },
        { "USERNAME too long", WithAttribute(StunAttributeType.Username, Enumerable.Repeat((byte)'a', 600).ToArray()) },
        { "UNKNOWN-ATTRIBUTES odd", WithAttribute(StunAttributeType.UnknownAttributes, [0, 1, 0]) },
        { "UNKNOWN-ATTRIBUTES of 65 types", WithAttribute(StunAttributeType.UnknownAttributes, new byte[2 * 65]) },
        { "FINGERPRINT wrong", WithAttribute(StunAttributeType.Fingerprint, [1, 2, 3, 4]) },
        { "too many attributes", TooManyAttributes() },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_must_refuse_malformed_input(string why, byte[] datagram)
    {
        var e = Assert.Throws<StunFormatException>(() => StunMessage.Parse(datagram));
        Assert.False(string.IsNullOrWhiteSpace(e.Message), why);
    }

    [Fact]
    public void Parse_must_refuse_an_attribute_after_fingerprint()
    {
        var valid = new StunMessage(StunMessageType.BindingRequest, StunTransactionId.New(), []).Encode(fingerprint: true);
        var extended = valid.Concat(new byte[] { 0x80, 0x22, 0, 0 }).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(extended.AsSpan(2), (ushort)(extended.Length - 20));
        Assert.Throws<StunFormatException>(() => StunMessage.Parse(extended));
    }

    [Fact]
    public void Parse_must_refuse_a_flipped_bit_anywhere_in_a_fingerprinted_message()
    {
        var vector = Rfc5769Vectors.SampleRequest;
        // Everything up to the end of MESSAGE-INTEGRITY is covered; the FINGERPRINT header after it is
        // not (a changed type there is an ignorable attribute after MESSAGE-INTEGRITY), its value is.
        var covered = Enumerable.Range(0, vector.Length - 8).Concat(Enumerable.Range(vector.Length - 4, 4));
        foreach (var i in covered)
        {
            var corrupt = (byte[])vector.Clone();
            corrupt[i] ^= 0x01;
            // Any single flipped bit either breaks the framing or the CRC; integrity may never pass silently.
            try
            {
                var parsed = StunMessage.Parse(corrupt);
                Assert.False(parsed.VerifyIntegrity(StunCredentials.ShortTermKey(Rfc5769Vectors.ShortTermPassword)), $"byte {i}");
            }
            catch (StunFormatException)
            {
            }
        }
    }

    private static byte[] Patch(byte[] message, int index, byte value)
    {
        message[index] = value;
        return message;
    }

    private static byte[] Fix(byte[] message)
    {
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)(message.Length - 20));
        return message;
    }

    private static byte[] TooManyAttributes()
    {
        var count = StunMessage.MaxAttributes + 1;
        var message = Header(4 * count);
        for (var i = 0; i < count; i++) BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(20 + 4 * i), StunAttributeType.UseCandidate);
        return message;
    }
}
