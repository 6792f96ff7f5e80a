using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;
using Org.BouncyCastle.X509;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// A self-signed ECDSA P-256 certificate and its private key. WebRTC peers authenticate each other only by
/// the certificate's fingerprint exchanged through signaling, so the subject and issuer carry no meaning;
/// libwebrtc and Chromium expect ECDSA P-256 and reject handshakes that need other key types.
/// </summary>
public sealed class DtlsCertificate
{
    private const int P256FieldBytes = 32;

    private DtlsCertificate(X509Certificate certificate, ECPrivateKeyParameters privateKey, ECPublicKeyParameters publicKey)
    {
        Certificate = certificate;
        PrivateKey = privateKey;
        Der = certificate.GetEncoded();
        Fingerprint = DtlsFingerprint.Compute(Der);
        NativeSigningKey = TryCreateNativeKey(privateKey, publicKey);
    }

    /// <summary>The DER encoding, as sent in the handshake's Certificate message.</summary>
    public byte[] Der { get; }

    /// <summary>The <c>sha-256</c> fingerprint to announce in our <c>a=fingerprint</c>.</summary>
    public DtlsFingerprint Fingerprint { get; }

    /// <summary>When the certificate expires.</summary>
    public DateTimeOffset NotAfter => new(Certificate.NotAfter, TimeSpan.Zero);

    internal X509Certificate Certificate { get; }

    internal ECPrivateKeyParameters PrivateKey { get; }

    /// <summary>
    /// The same key pair in the platform's ECDSA, made here, off any handshake's clock; null where the platform
    /// has none (then BouncyCastle signs).
    /// </summary>
    internal ECDsa? NativeSigningKey { get; }

    /// <summary>Generates a new key pair and a certificate valid from a day before now (clock skew) for <paramref name="lifetime"/>.</summary>
    public static DtlsCertificate Generate(TimeProvider timeProvider, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var random = new SecureRandom();
        var keyGenerator = new ECKeyPairGenerator();
        keyGenerator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var keyPair = keyGenerator.GenerateKeyPair();

        var now = timeProvider.GetUtcNow().UtcDateTime;
        var name = new X509Name("CN=WebRTC");
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(new BigInteger(63, random).Add(BigInteger.One));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(now.AddDays(-1));
        generator.SetNotAfter(now.Add(lifetime));
        generator.SetPublicKey(keyPair.Public);
        var certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));
        return new DtlsCertificate(certificate, (ECPrivateKeyParameters)keyPair.Private, (ECPublicKeyParameters)keyPair.Public);
    }

    private static ECDsa? TryCreateNativeKey(ECPrivateKeyParameters privateKey, ECPublicKeyParameters publicKey)
    {
        var q = publicKey.Q.Normalize();
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = BigIntegers.AsUnsignedByteArray(P256FieldBytes, privateKey.D),
            Q = new ECPoint
            {
                X = q.AffineXCoord.GetEncoded(),
                Y = q.AffineYCoord.GetEncoded(),
            },
        };
        try
        {
            return ECDsa.Create(parameters);
        }
        catch (Exception e) when (e is PlatformNotSupportedException or CryptographicException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }
}
