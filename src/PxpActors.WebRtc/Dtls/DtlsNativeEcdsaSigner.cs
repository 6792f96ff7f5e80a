using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// Signs the handshake's ServerKeyExchange or CertificateVerify with the platform's ECDSA (OpenSSL, CNG)
/// instead of BouncyCastle's managed one: each side signs once per handshake, on the critical path, and the
/// native code is several times faster and needs no JIT warm-up. BouncyCastle hands over the digest already
/// computed and expects the DER-encoded signature TLS carries (RFC 8422 section 5.4).
/// </summary>
internal sealed class DtlsNativeEcdsaSigner(ECDsa key) : TlsSigner
{
    public byte[] GenerateRawSignature(SignatureAndHashAlgorithm algorithm, byte[] hash)
    {
        if (algorithm is null || algorithm.Signature != SignatureAlgorithm.ecdsa)
            throw new TlsFatalAlert(AlertDescription.internal_error);
        // One key may serve many connections at once (per-node certificates); a signature takes tens of microseconds.
        lock (key) return key.SignHash(hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    // Null: BouncyCastle then hashes the signed data itself and calls GenerateRawSignature with the digest.
    public TlsStreamSigner? GetStreamSigner(SignatureAndHashAlgorithm algorithm) => null;
}
