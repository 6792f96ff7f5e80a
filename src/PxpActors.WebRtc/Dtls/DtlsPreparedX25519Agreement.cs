using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// Ephemeral X25519 (RFC 7748, RFC 8422 section 5.11) whose key pair is made ahead, off the handshake's clock: the
/// handshake then only pays for the agreement. BouncyCastle's own X25519 agreement makes its key pair when the
/// ServerKeyExchange or ClientKeyExchange is written, on the critical path.
/// </summary>
internal sealed class DtlsPreparedX25519Agreement : TlsAgreement
{
    private readonly TlsCrypto _crypto;
    private readonly byte[] _privateKey = new byte[X25519.ScalarSize];
    private readonly byte[] _publicKey = new byte[X25519.PointSize];
    private byte[]? _peerPublicKey;

    /// <summary>Makes the key pair now; <paramref name="crypto"/> holds the secret the agreement calculates later.</summary>
    public DtlsPreparedX25519Agreement(TlsCrypto crypto, SecureRandom random)
    {
        _crypto = crypto;
        X25519.GeneratePrivateKey(random, _privateKey);
        X25519.GeneratePublicKey(_privateKey, 0, _publicKey, 0);
    }

    public byte[] GenerateEphemeral() => (byte[])_publicKey.Clone();

    public void ReceivePeerValue(byte[] peerValue)
    {
        if (peerValue is not { Length: X25519.PointSize })
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "X25519 public value of the wrong size");
        _peerPublicKey = (byte[])peerValue.Clone();
    }

    public TlsSecret CalculateSecret()
    {
        var peer = _peerPublicKey ?? throw new TlsFatalAlert(AlertDescription.internal_error, "No X25519 peer value");
        var secret = new byte[X25519.PointSize];
        try
        {
            // False for a low-order peer point, whose shared secret would be all zeros (RFC 7748 section 6.1).
            if (!X25519.CalculateAgreement(_privateKey, 0, peer, 0, secret, 0))
                throw new TlsFatalAlert(AlertDescription.handshake_failure, "X25519 agreement with a low-order point");
            return _crypto.CreateSecret(secret);
        }
        finally
        {
            Array.Clear(secret);
            Array.Clear(_privateKey); // ephemeral: one agreement only
        }
    }
}
