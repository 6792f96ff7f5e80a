using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using PxpActors.WebRtc.Dtls;
using Xunit;
using HashAlgorithm = Org.BouncyCastle.Tls.HashAlgorithm;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>The handshake's shortcuts (ECDSA verified by the platform, X25519 key pair made ahead), checked against BouncyCastle's own results.</summary>
public sealed class DtlsNativeCryptoTests
{
    private static readonly SignatureAndHashAlgorithm EcdsaSha256 = new(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(1));

    [Fact]
    public void Native_ECDSA_verifier_must_agree_with_BouncyCastle_on_good_tampered_and_malformed_signatures()
    {
        var hash = RandomNumberGenerator.GetBytes(32);
        var signature = SignWithBouncyCastle(hash);
        var native = new DtlsCrypto(new SecureRandom()).CreateCertificate(CertificateType.X509, _certificate.Der).CreateVerifier(SignatureAlgorithm.ecdsa);
        var managed = new BcTlsCrypto(new SecureRandom()).CreateCertificate(CertificateType.X509, _certificate.Der).CreateVerifier(SignatureAlgorithm.ecdsa);
        Assert.IsType<DtlsNativeEcdsaVerifier>(native);

        var tamperedHash = (byte[])hash.Clone();
        tamperedHash[0] ^= 1;
        var truncated = signature[..^1];
        var otherKey = SignWithBouncyCastle(hash, DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(1)));
        foreach (var (digest, sig, expected) in new[]
        {
            (hash, signature, true), (tamperedHash, signature, false), (hash, truncated, false), (hash, otherKey, false),
            (hash, new byte[] { 0x30, 0x03, 0x02, 0x01, 0x00 }, false),
        })
        {
            var signed = new DigitallySigned(EcdsaSha256, sig);
            Assert.Equal(expected, managed.VerifyRawSignature(signed, digest));
            Assert.Equal(expected, native.VerifyRawSignature(signed, digest));
        }
    }

    [Fact]
    public void BouncyCastle_must_verify_what_the_native_signer_signs()
    {
        var hash = RandomNumberGenerator.GetBytes(32);
        var signature = new DtlsNativeEcdsaSigner(_certificate.NativeSigningKey!).GenerateRawSignature(EcdsaSha256, hash);
        var managed = new BcTlsCrypto(new SecureRandom()).CreateCertificate(CertificateType.X509, _certificate.Der).CreateVerifier(SignatureAlgorithm.ecdsa);
        Assert.True(managed.VerifyRawSignature(new DigitallySigned(EcdsaSha256, signature), hash));
    }

    [Fact]
    public void Prepared_X25519_agreement_must_reach_the_secret_BouncyCastle_reaches()
    {
        var crypto = new DtlsCrypto(new SecureRandom());
        var ours = crypto.CreateECDomain(new TlsECConfig(NamedGroup.x25519)).CreateECDH();
        var theirs = new BcTlsCrypto(new SecureRandom()).CreateECDomain(new TlsECConfig(NamedGroup.x25519)).CreateECDH();
        Assert.IsType<DtlsPreparedX25519Agreement>(ours);

        var ourPoint = ours.GenerateEphemeral();
        Assert.Equal(ourPoint, ours.GenerateEphemeral()); // made once, ahead
        ours.ReceivePeerValue(theirs.GenerateEphemeral());
        theirs.ReceivePeerValue(ourPoint);

        var secret = ours.CalculateSecret().Extract();
        Assert.Equal(32, secret.Length);
        Assert.Equal(theirs.CalculateSecret().Extract(), secret);
        Assert.Equal(NamedGroup.x25519, crypto.KeyExchangeGroup);

        // The prepared pair serves one agreement; a second one is BouncyCastle's own.
        Assert.IsNotType<DtlsPreparedX25519Agreement>(crypto.CreateECDomain(new TlsECConfig(NamedGroup.x25519)).CreateECDH());
    }

    [Fact]
    public void Prepared_X25519_agreement_must_refuse_a_wrong_sized_or_low_order_peer_value()
    {
        var wrongSize = new DtlsCrypto(new SecureRandom()).CreateECDomain(new TlsECConfig(NamedGroup.x25519)).CreateECDH();
        Assert.Equal(AlertDescription.illegal_parameter, Assert.Throws<TlsFatalAlert>(() => wrongSize.ReceivePeerValue(new byte[31])).AlertDescription);

        // The all-zero point has order 1: the shared secret would be zero (RFC 7748 section 6.1).
        var lowOrder = new DtlsCrypto(new SecureRandom()).CreateECDomain(new TlsECConfig(NamedGroup.x25519)).CreateECDH();
        lowOrder.GenerateEphemeral();
        lowOrder.ReceivePeerValue(new byte[32]);
        Assert.Equal(AlertDescription.handshake_failure, Assert.Throws<TlsFatalAlert>(() => lowOrder.CalculateSecret()).AlertDescription);
    }

    private byte[] SignWithBouncyCastle(byte[] hash, DtlsCertificate? certificate = null)
    {
        var signer = new DsaDigestSigner(new ECDsaSigner(), new NullDigest());
        signer.Init(true, (certificate ?? _certificate).PrivateKey);
        signer.BlockUpdate(hash, 0, hash.Length);
        return signer.GenerateSignature();
    }
}
