using Microsoft.Extensions.Time.Testing;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using PxpActors.WebRtc.Dtls;
using Xunit;

namespace PxpActors.WebRtc.Tests.Dtls;

public sealed class DtlsCertificateTests
{
    [Fact]
    public void Generate_must_make_a_self_signed_ECDSA_P256_certificate_valid_around_now()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

        var certificate = DtlsCertificate.Generate(clock, TimeSpan.FromDays(30));

        var key = Assert.IsType<ECPublicKeyParameters>(certificate.Certificate.GetPublicKey());
        Assert.Equal("1.2.840.10045.3.1.7", key.PublicKeyParamSet.Id); // secp256r1 / P-256
        Assert.Equal("1.2.840.10045.4.3.2", certificate.Certificate.SigAlgOid); // ecdsa-with-SHA256
        certificate.Certificate.Verify(key); // self-signed
        Assert.Equal(new DateTime(2026, 1, 1, 3, 4, 5), certificate.Certificate.NotBefore);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 3, 4, 5, TimeSpan.Zero), certificate.NotAfter);
        Assert.True(certificate.Fingerprint.Matches(certificate.Der));
    }

    [Fact]
    public void Source_must_make_a_fresh_certificate_per_connection_by_default()
    {
        var source = new DtlsCertificateSource(DtlsSettings.Default, TimeProvider.System);

        Assert.NotEqual(source.Next().Fingerprint, source.Next().Fingerprint);
    }

    [Fact]
    public async Task Source_must_hand_out_per_connection_certificates_made_ahead_in_the_background()
    {
        var source = new DtlsCertificateSource(DtlsSettings.Default, TimeProvider.System);
        Assert.Null(source.Reserve); // nothing is made before the first connection asks

        var first = source.Next();
        var reserved = await source.Reserve!.WaitAsync(TimeSpan.FromSeconds(30));
        var second = source.Next();
        var nextReserved = await source.Reserve!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Same(reserved, second);
        Assert.NotSame(second, nextReserved);
        Assert.Equal(3, new[] { first.Fingerprint, second.Fingerprint, nextReserved.Fingerprint }.Distinct().Count());
    }

    [Fact]
    public async Task Source_must_not_hand_out_a_reserved_certificate_near_expiry()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var settings = DtlsSettings.Default with { CertificateLifetime = TimeSpan.FromDays(10) };
        var source = new DtlsCertificateSource(settings, clock);
        source.Next();
        var reserved = await source.Reserve!.WaitAsync(TimeSpan.FromSeconds(30));

        clock.Advance(TimeSpan.FromDays(9.1)); // less than a tenth of its lifetime left
        var next = source.Next();

        Assert.NotSame(reserved, next);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromDays(10), next.NotAfter);
    }

    [Fact]
    public void Source_must_reuse_a_per_node_certificate_until_it_nears_expiry()
    {
        var clock = new FakeTimeProvider();
        var settings = DtlsSettings.Default with { CertificateScope = DtlsCertificateScope.PerNode, CertificateLifetime = TimeSpan.FromDays(10) };
        var source = new DtlsCertificateSource(settings, clock);

        var first = source.Next();
        clock.Advance(TimeSpan.FromDays(8.9));
        Assert.Same(first, source.Next());

        clock.Advance(TimeSpan.FromDays(0.2)); // less than a tenth of the lifetime left
        Assert.NotSame(first, source.Next());
    }

    [Fact]
    public void Native_signer_must_sign_with_the_certificates_key_in_the_DER_form_TLS_carries()
    {
        var certificate = DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(1));
        var signer = new DtlsNativeEcdsaSigner(Assert.IsAssignableFrom<System.Security.Cryptography.ECDsa>(certificate.NativeSigningKey));
        var digest = System.Security.Cryptography.SHA256.HashData("ServerKeyExchange params"u8);

        var signature = signer.GenerateRawSignature(new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa), digest);

        // BouncyCastle (what our peer and the tests' verify with) accepts it against the certificate's public key.
        var verifier = SignerUtilities.GetSigner("NONEwithECDSA");
        verifier.Init(false, certificate.Certificate.GetPublicKey());
        verifier.BlockUpdate(digest, 0, digest.Length);
        Assert.True(verifier.VerifySignature(signature));
        Assert.Throws<TlsFatalAlert>(() => signer.GenerateRawSignature(new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa), digest));
    }
}
