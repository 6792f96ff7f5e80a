using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace PxpActors.WebRtc.Dtls;

/// <summary>BouncyCastle's TLS crypto with AES-GCM records done by the platform (<see cref="DtlsNativeAesGcm"/>) where it can.</summary>
internal sealed class DtlsCrypto(SecureRandom random) : BcTlsCrypto(random)
{
    protected override TlsAeadCipher CreateCipher_Aes_Gcm(TlsCryptoParameters cryptoParams, int cipherKeySize, int macSize) =>
        DtlsNativeAesGcm.IsAvailable
            ? new TlsAeadCipher(cryptoParams, new DtlsNativeAesGcm(encrypt: true), new DtlsNativeAesGcm(encrypt: false),
                cipherKeySize, macSize, TlsAeadCipher.AEAD_GCM)
            : base.CreateCipher_Aes_Gcm(cryptoParams, cipherKeySize, macSize);
}
