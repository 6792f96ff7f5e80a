using System.Net;
using System.Text;
using PxpActors.WebRtc.Stun;
using PxpActors.WebRtc.Stun.Attributes;
using Xunit;

namespace PxpActors.WebRtc.Tests.Stun;

/// <summary>RFC 5769: every test vector parsed, authenticated and fingerprinted.</summary>
public sealed class StunVectorTests
{
    private static readonly StunTransactionId VectorTransaction = StunTransactionId.Read(Convert.FromHexString("b7e7a701bc34d686fa87dfae"));
    private static readonly byte[] ShortTermKey = StunCredentials.ShortTermKey(Rfc5769Vectors.ShortTermPassword);

    [Fact]
    public void Sample_request_must_parse_and_verify()
    {
        var message = StunMessage.Parse(Rfc5769Vectors.SampleRequest);

        Assert.Equal(StunMessageType.BindingRequest, message.Type);
        Assert.Equal(VectorTransaction, message.TransactionId);
        Assert.Equal("STUN test client", message.Get<SoftwareAttribute>()!.Value);
        Assert.Equal(0x6e0001ffu, message.Get<PriorityAttribute>()!.Priority);
        Assert.Equal(0x932ff9b151263b36ul, message.Get<IceControlledAttribute>()!.TieBreaker);
        Assert.Equal("evtj:h6vY", message.Get<UsernameAttribute>()!.Value);
        Assert.True(message.Has<FingerprintAttribute>());
        Assert.True(message.VerifyIntegrity(ShortTermKey));
        Assert.False(message.VerifyIntegrity(StunCredentials.ShortTermKey("wrong")));
    }

    [Fact]
    public void Sample_IPv4_response_must_parse_and_verify()
    {
        var message = StunMessage.Parse(Rfc5769Vectors.SampleIPv4Response);

        Assert.Equal(StunMessageType.BindingSuccess, message.Type);
        Assert.Equal("test vector", message.Get<SoftwareAttribute>()!.Value);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), message.Get<XorMappedAddressAttribute>()!.EndPoint);
        Assert.True(message.VerifyIntegrity(ShortTermKey));
    }

    [Fact]
    public void Sample_IPv6_response_must_parse_and_verify()
    {
        var message = StunMessage.Parse(Rfc5769Vectors.SampleIPv6Response);

        Assert.Equal(StunMessageType.BindingSuccess, message.Type);
        Assert.Equal(
            new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853),
            message.Get<XorMappedAddressAttribute>()!.EndPoint);
        Assert.True(message.VerifyIntegrity(ShortTermKey));
    }

    [Fact]
    public void Sample_request_with_long_term_authentication_must_parse_and_verify()
    {
        var message = StunMessage.Parse(Rfc5769Vectors.SampleRequestLongTerm);
        var username = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";

        Assert.Equal(username, message.Get<UsernameAttribute>()!.Value);
        Assert.Equal("f//499k954d6OL34oL9FSTvy64sA", message.Get<NonceAttribute>()!.Value);
        Assert.Equal("example.org", message.Get<RealmAttribute>()!.Value);
        Assert.False(message.Has<FingerprintAttribute>());

        // The password before SASLprep; preparation must turn it into "TheMatrIX".
        var password = "The\u00ADM\u00AAtr\u2168";
        Assert.Equal("TheMatrIX", StunCredentials.PreparePassword(password));
        Assert.True(message.VerifyIntegrity(StunCredentials.LongTermKey(username, "example.org", password)));
    }

    [Fact]
    public void Encoding_the_sample_request_attributes_must_reproduce_its_integrity_and_fingerprint()
    {
        // The vector pads USERNAME with spaces where we pad with zeros, so the bytes differ only there;
        // with the vector's padding patched in, integrity and fingerprint must come out identical.
        var message = new StunMessage(StunMessageType.BindingRequest, VectorTransaction,
        [
            new SoftwareAttribute("STUN test client"),
            new PriorityAttribute(0x6e0001ff),
            new IceControlledAttribute(0x932ff9b151263b36),
            new UsernameAttribute("evtj:h6vY"),
        ]);
        var encoded = message.Encode(ShortTermKey, fingerprint: true);
        var vector = Rfc5769Vectors.SampleRequest;

        Assert.Equal(vector.Length, encoded.Length);
        var usernamePadding = Array.IndexOf(vector, (byte)'Y') + 1;
        Assert.Equal(new byte[3], encoded[usernamePadding..(usernamePadding + 3)]);
        Assert.Equal(vector[..usernamePadding], encoded[..usernamePadding]);

        var reparsed = StunMessage.Parse(encoded);
        Assert.True(reparsed.VerifyIntegrity(ShortTermKey));
        Assert.Equal("evtj:h6vY", reparsed.Get<UsernameAttribute>()!.Value);
    }

    [Fact]
    public void Encoding_the_sample_IPv4_response_must_reproduce_it_byte_for_byte_but_padding()
    {
        var message = new StunMessage(StunMessageType.BindingSuccess, VectorTransaction,
        [
            new SoftwareAttribute("test vector"),
            new XorMappedAddressAttribute(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853)),
        ]);
        var encoded = message.Encode(ShortTermKey, fingerprint: true);
        var vector = Rfc5769Vectors.SampleIPv4Response;

        // Same layout; SOFTWARE's one padding byte is a space in the vector and zero here.
        Assert.Equal(vector.Length, encoded.Length);
        var padding = HeaderAndSoftwareLength("test vector") - 1;
        Assert.Equal(vector[..padding], encoded[..padding]);
        Assert.Equal(vector[(padding + 1)..(padding + 13)], encoded[(padding + 1)..(padding + 13)]);
        Assert.True(StunMessage.Parse(encoded).VerifyIntegrity(ShortTermKey));
    }

    private static int HeaderAndSoftwareLength(string software) => 20 + 4 + ((Encoding.UTF8.GetByteCount(software) + 3) & ~3);
}
