using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// Checks the peer's ServerKeyExchange or CertificateVerify signature with the platform's ECDSA instead of
/// BouncyCastle's managed one: each side verifies once per handshake, on the critical path, and the native code
/// is several times faster. BouncyCastle hands over the digest it computed and the DER-encoded signature TLS
/// carries (RFC 8422 section 5.4). One instance per certificate, used by one handshake thread.
/// </summary>
internal sealed class DtlsNativeEcdsaVerifier(ECDsa publicKey) : TlsVerifier
{
    // Null: BouncyCastle then hashes the signed data itself and calls VerifyRawSignature with the digest.
    public TlsStreamVerifier? GetStreamVerifier(DigitallySigned digitallySigned) => null;

    public bool VerifyRawSignature(DigitallySigned digitallySigned, byte[] hash)
    {
        var algorithm = digitallySigned.Algorithm;
        if (algorithm is not null && algorithm.Signature != SignatureAlgorithm.ecdsa)
            throw new TlsFatalAlert(AlertDescription.internal_error, $"Not an ECDSA signature: {algorithm}");
        // Before TLS 1.2 the digest was MD5 || SHA-1 and ECDSA signed the SHA-1 part only (RFC 4492 section 5.10).
        var digest = algorithm is null ? hash.AsSpan(16, 20) : hash.AsSpan();
        try
        {
            return publicKey.VerifyHash(digest, digitallySigned.Signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false; // a malformed signature is just a signature that does not verify
        }
    }
}
