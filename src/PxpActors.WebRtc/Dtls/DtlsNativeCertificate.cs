using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// The peer's X.509 certificate as BouncyCastle parses it, except that ECDSA signatures made with its key on a
/// NIST curve (WebRTC peers use P-256) are checked by the platform (<see cref="DtlsNativeEcdsaVerifier"/>). Any
/// other key, or a platform without ECDSA, keeps BouncyCastle's verifier.
/// </summary>
internal sealed class DtlsNativeCertificate(BcTlsCrypto crypto, byte[] encoding) : BcTlsCertificate(crypto, encoding)
{
    public override TlsVerifier CreateVerifier(short signatureAlgorithm)
    {
        if (signatureAlgorithm != SignatureAlgorithm.ecdsa) return base.CreateVerifier(signatureAlgorithm);
        ValidateKeyUsage(KeyUsage.DigitalSignature);
        var key = TryCreateNativeKey(GetPubKeyEC());
        return key is null ? base.CreateVerifier(signatureAlgorithm) : new DtlsNativeEcdsaVerifier(key);
    }

    /// <summary>The same public key in the platform's ECDSA, or null for a curve or platform it cannot take.</summary>
    internal static ECDsa? TryCreateNativeKey(ECPublicKeyParameters publicKey)
    {
        if (CurveOf(publicKey.PublicKeyParamSet) is not { } curve) return null;
        var q = publicKey.Q.Normalize();
        try
        {
            return ECDsa.Create(new ECParameters
            {
                Curve = curve,
                Q = new ECPoint
                {
                    X = q.AffineXCoord.GetEncoded(), // fixed length: the field size
                    Y = q.AffineYCoord.GetEncoded(),
                },
            });
        }
        catch (Exception e) when (e is PlatformNotSupportedException or CryptographicException)
        {
            return null;
        }
    }

    private static ECCurve? CurveOf(DerObjectIdentifier? namedCurve) =>
        namedCurve is null ? null
        : namedCurve.Equals(SecObjectIdentifiers.SecP256r1) ? ECCurve.NamedCurves.nistP256
        : namedCurve.Equals(SecObjectIdentifiers.SecP384r1) ? ECCurve.NamedCurves.nistP384
        : namedCurve.Equals(SecObjectIdentifiers.SecP521r1) ? ECCurve.NamedCurves.nistP521
        : null;
}
