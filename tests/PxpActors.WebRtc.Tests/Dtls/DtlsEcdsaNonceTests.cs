using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using PxpActors.WebRtc.Dtls;
using Xunit;
using HashAlgorithm = Org.BouncyCastle.Tls.HashAlgorithm;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>Our ECDSA signature with its nonce made ahead: the same signature as standard ECDSA, and never a nonce twice.</summary>
public sealed class DtlsEcdsaNonceTests
{
    private static readonly SignatureAndHashAlgorithm EcdsaSha256 = new(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    private readonly DtlsCertificate _certificate = DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(1));

    [Fact]
    public void Nonce_must_give_the_signature_BouncyCastle_gives_for_the_same_k()
    {
        var key = _certificate.PrivateKey;
        foreach (var message in new[] { "sample", "test", "a third message" })
        {
            var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(message));
            // RFC 6979's deterministic k, so that BouncyCastle's signer and ours can be handed the same one.
            var kCalculator = new HMacDsaKCalculator(new Sha256Digest());
            kCalculator.Init(key.Parameters.N, key.D, hash);
            var k = kCalculator.NextK();
            var expected = new ECDsaSigner(new HMacDsaKCalculator(new Sha256Digest()));
            expected.Init(true, key);
            var rs = expected.GenerateSignature(hash);

            var signature = DtlsEcdsaNonce.FromK(key.Parameters, k)!.TrySign(key, hash);

            var sequence = Asn1Sequence.GetInstance(signature);
            Assert.Equal(2, sequence.Count);
            Assert.Equal(rs[0], DerInteger.GetInstance(sequence[0]).Value);
            Assert.Equal(rs[1], DerInteger.GetInstance(sequence[1]).Value);
            Assert.Equal(signature, new DerSequence(new DerInteger(rs[0]), new DerInteger(rs[1])).GetEncoded(Asn1Encodable.Der));
        }
    }

    [Fact]
    public void Signature_with_a_fresh_nonce_must_verify_with_the_platform_and_not_with_another_hash()
    {
        var hash = RandomNumberGenerator.GetBytes(32);
        var signature = DtlsEcdsaNonce.CreateP256(new SecureRandom()).TrySign(_certificate.PrivateKey, hash)!;

        using var publicKey = ECDsa.Create(_certificate.NativeSigningKey!.ExportParameters(includePrivateParameters: false));
        Assert.True(publicKey.VerifyHash(hash, signature, DSASignatureFormat.Rfc3279DerSequence));
        hash[5] ^= 0x10;
        Assert.False(publicKey.VerifyHash(hash, signature, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void Nonce_must_sign_once_only()
    {
        var nonce = DtlsEcdsaNonce.CreateP256(new SecureRandom());
        Assert.NotNull(nonce.TrySign(_certificate.PrivateKey, RandomNumberGenerator.GetBytes(32)));

        // A second signature with the same k would reveal the private key.
        Assert.Null(nonce.TrySign(_certificate.PrivateKey, RandomNumberGenerator.GetBytes(32)));
    }

    [Fact]
    public void Nonces_must_be_fresh_each_time()
    {
        var random = new SecureRandom();
        var hash = RandomNumberGenerator.GetBytes(32);
        var rs = Enumerable.Range(0, 8)
            .Select(_ => DerInteger.GetInstance(Asn1Sequence.GetInstance(DtlsEcdsaNonce.CreateP256(random).TrySign(_certificate.PrivateKey, hash))[0]).Value)
            .ToHashSet();
        Assert.Equal(8, rs.Count);
    }

    [Fact]
    public void Nonce_must_refuse_a_key_of_another_curve_and_stay_usable()
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP384r1, new SecureRandom()));
        var p384 = (ECPrivateKeyParameters)generator.GenerateKeyPair().Private;
        var nonce = DtlsEcdsaNonce.CreateP256(new SecureRandom());

        Assert.Null(nonce.TrySign(p384, RandomNumberGenerator.GetBytes(48)));
        Assert.NotNull(nonce.TrySign(_certificate.PrivateKey, RandomNumberGenerator.GetBytes(32)));
    }

    [Fact]
    public void Nonce_must_refuse_a_k_outside_1_to_n_minus_1()
    {
        var domain = _certificate.PrivateKey.Parameters;
        Assert.Throws<ArgumentOutOfRangeException>(() => DtlsEcdsaNonce.FromK(domain, BigInteger.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => DtlsEcdsaNonce.FromK(domain, domain.N));
    }

    [Fact]
    public void Prepared_signer_must_use_its_nonce_once_then_its_fallback()
    {
        var fallback = new CountingSigner(new DtlsNativeEcdsaSigner(_certificate.NativeSigningKey!));
        var signer = new DtlsPreparedEcdsaSigner(_certificate.PrivateKey, DtlsEcdsaNonce.CreateP256(new SecureRandom()), fallback);
        using var publicKey = ECDsa.Create(_certificate.NativeSigningKey!.ExportParameters(includePrivateParameters: false));

        foreach (var expectedFallbacks in new[] { 0, 1, 2 })
        {
            var hash = RandomNumberGenerator.GetBytes(32);
            var signature = signer.GenerateRawSignature(EcdsaSha256, hash);
            Assert.True(publicKey.VerifyHash(hash, signature, DSASignatureFormat.Rfc3279DerSequence));
            Assert.Equal(expectedFallbacks, fallback.Count);
        }
        Assert.Throws<TlsFatalAlert>(() => signer.GenerateRawSignature(new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
            RandomNumberGenerator.GetBytes(32)));
    }

    [Fact]
    public void Crypto_must_hand_out_its_prepared_nonce_once()
    {
        var crypto = new DtlsCrypto(new SecureRandom());
        Assert.NotNull(crypto.TakeEcdsaNonce());
        Assert.Null(crypto.TakeEcdsaNonce());
    }

    private sealed class CountingSigner(TlsSigner inner) : TlsSigner
    {
        public int Count { get; private set; }

        public byte[] GenerateRawSignature(SignatureAndHashAlgorithm algorithm, byte[] hash)
        {
            Count++;
            return inner.GenerateRawSignature(algorithm, hash);
        }

        public TlsStreamSigner? GetStreamSigner(SignatureAndHashAlgorithm algorithm) => inner.GetStreamSigner(algorithm);
    }
}
