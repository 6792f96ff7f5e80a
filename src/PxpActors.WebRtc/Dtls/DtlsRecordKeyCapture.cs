using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// Our DTLS crypto, also keeping the AES-GCM keys of the epoch the handshake sets up, so that application data
/// can be opened by <see cref="DtlsApplicationDataReader"/> on the receiving thread instead of by BouncyCastle's
/// blocking record layer on its own thread. Other cipher suites leave <see cref="Keys"/> null.
/// </summary>
internal sealed class DtlsRecordKeyCapture(SecureRandom random) : DtlsCrypto(random)
{
    /// <summary>Written on the handshake thread before the handshake returns; read after it has.</summary>
    public DtlsRecordKeys? Keys { get; private set; }

    protected override TlsAeadCipher CreateCipher_Aes_Gcm(TlsCryptoParameters cryptoParams, int cipherKeySize, int macSize)
    {
        var cipher = base.CreateCipher_Aes_Gcm(cryptoParams, cipherKeySize, macSize);
        Keys?.Clear();
        Keys = DtlsApplicationDataReader.IsAvailable && macSize == DtlsApplicationDataReader.TagSize
            ? DtlsRecordKeys.Derive(cryptoParams, cipherKeySize)
            : null;
        return cipher;
    }

    /// <summary>Zeroes keys nobody took over (the connection ended before our record path started); idempotent.</summary>
    public void ForgetKeys() => Keys?.Clear();
}
