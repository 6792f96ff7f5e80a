using PxpActors.WebRtc.Dtls;
using Xunit;

namespace PxpActors.WebRtc.Tests.Dtls;

public sealed class DtlsFingerprintTests
{
    [Fact]
    public void Compute_must_hash_the_DER_with_sha256_as_uppercase_colon_hex()
    {
        // SHA-256("abc") from FIPS 180-2, appendix B.1.
        var fingerprint = DtlsFingerprint.Compute("abc"u8);

        Assert.Equal("sha-256", fingerprint.Algorithm);
        Assert.Equal("BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD", fingerprint.Value);
        Assert.True(fingerprint.Matches("abc"u8));
        Assert.False(fingerprint.Matches("abd"u8));
    }

    [Fact]
    public void Parse_must_normalise_case_so_fingerprints_compare_by_value()
    {
        var lower = DtlsFingerprint.Parse("SHA-256 ba:78:16:bf:8f:01:cf:ea:41:41:40:de:5d:ae:22:23:b0:03:61:a3:96:17:7a:9c:b4:10:ff:61:f2:00:15:ad");

        Assert.Equal(DtlsFingerprint.Compute("abc"u8), lower);
        Assert.Equal("sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD", lower.ToString());
    }

    [Fact]
    public void Parse_must_keep_unknown_hash_functions_but_never_verify_with_them()
    {
        var md5 = DtlsFingerprint.Parse("md5 01:02");

        Assert.False(md5.IsVerifiable);
        Assert.False(md5.Matches("abc"u8));
    }

    [Fact]
    public void A_sha1_fingerprint_must_never_verify_a_certificate_even_when_it_matches()
    {
        // SHA-1("abc") from FIPS 180-2, appendix A.1: the digest matches, the hash function is refused.
        var sha1 = DtlsFingerprint.Parse("sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D");

        Assert.False(sha1.IsVerifiable);
        Assert.False(sha1.Matches("abc"u8));
        Assert.Throws<NotSupportedException>(() => DtlsFingerprint.Compute("abc"u8, "sha-1"));
    }

    [Theory]
    [InlineData("sha-256")]
    [InlineData("sha-256  AB")]
    [InlineData("sha-256 AB:C")]
    [InlineData("sha-256 AB::CD")]
    [InlineData("sha-256 GG:00")]
    [InlineData("sha-256 AB:CD")]
    [InlineData("sh@ AB:CD")]
    [InlineData(" AB:CD")]
    public void Parse_must_reject_malformed_fingerprints(string text)
    {
        Assert.False(DtlsFingerprint.TryParse(text, out _));
        Assert.Throws<FormatException>(() => DtlsFingerprint.Parse(text));
    }
}
