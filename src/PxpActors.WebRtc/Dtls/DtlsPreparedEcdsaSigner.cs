using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// Signs the handshake's one ServerKeyExchange or CertificateVerify with a nonce made before the handshake
/// (<see cref="DtlsEcdsaNonce"/>), which leaves the signature a few multiplications on the critical path instead of a
/// point multiplication; <paramref name="fallback"/> signs whatever the nonce cannot (a second signature, another
/// curve). BouncyCastle hands over the digest it computed and expects the DER-encoded signature TLS carries.
/// </summary>
internal sealed class DtlsPreparedEcdsaSigner(ECPrivateKeyParameters key, DtlsEcdsaNonce nonce, TlsSigner fallback) : TlsSigner
{
    public byte[] GenerateRawSignature(SignatureAndHashAlgorithm algorithm, byte[] hash)
    {
        if (algorithm is null || algorithm.Signature != SignatureAlgorithm.ecdsa)
            throw new TlsFatalAlert(AlertDescription.internal_error);
        return nonce.TrySign(key, hash) ?? fallback.GenerateRawSignature(algorithm, hash);
    }

    // Null: BouncyCastle then hashes the signed data itself and calls GenerateRawSignature with the digest.
    public TlsStreamSigner? GetStreamSigner(SignatureAndHashAlgorithm algorithm) => null;
}
