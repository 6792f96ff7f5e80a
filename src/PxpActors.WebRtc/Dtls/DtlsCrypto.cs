using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's TLS crypto with the handshake's critical path shortened: the X25519 key pair and the nonce of our
/// ECDSA signature are made here, before the handshake starts (<see cref="DtlsPreparedX25519Agreement"/>,
/// <see cref="DtlsEcdsaNonce"/>), the peer's ECDSA signature is checked by the
/// platform (<see cref="DtlsNativeCertificate"/>), and records are sealed with the platform's AES-GCM
/// (<see cref="DtlsNativeAesGcm"/>). BouncyCastle does the rest, and all of it on a platform without these.
/// One per connection, made on its DTLS thread before the handshake (<see cref="DtlsWorkerThread"/>).
/// </summary>
/// <remarks>
/// X25519 stays the key exchange: measured against ECDH on P-256 through the platform (key pair made ahead too),
/// importing and validating the peer's point costs the platform as much as BouncyCastle's X25519 agreement, and
/// BoringSSL (libwebrtc, Chromium) lists X25519 first and is fastest at it.
/// </remarks>
internal class DtlsCrypto : BcTlsCrypto
{
    private DtlsPreparedX25519Agreement? _x25519;
    private DtlsEcdsaNonce? _ecdsaNonce;

    public DtlsCrypto(SecureRandom random)
        : base(random)
    {
        _x25519 = new DtlsPreparedX25519Agreement(this, random);
        _ecdsaNonce = DtlsEcdsaNonce.CreateP256(random);
    }

    /// <summary>The (EC)DHE group of the handshake's key exchange, once chosen; for diagnostics and tests.</summary>
    public int? KeyExchangeGroup { get; private set; }

    /// <summary>The nonce made ahead for our one signature of the handshake; null once taken.</summary>
    public DtlsEcdsaNonce? TakeEcdsaNonce() => Interlocked.Exchange(ref _ecdsaNonce, null);

    public override TlsCertificate CreateCertificate(short type, byte[] encoding) =>
        type == CertificateType.X509 ? new DtlsNativeCertificate(this, encoding) : base.CreateCertificate(type, encoding);

    public override TlsECDomain CreateECDomain(TlsECConfig ecConfig)
    {
        KeyExchangeGroup = ecConfig.NamedGroup;
        // The prepared key pair serves one agreement; anything else BouncyCastle makes as usual.
        return ecConfig.NamedGroup == NamedGroup.x25519 && Interlocked.Exchange(ref _x25519, null) is { } prepared
            ? new PreparedDomain(prepared)
            : base.CreateECDomain(ecConfig);
    }

    /// <summary>Every record cipher drops what it cannot open instead of failing the connection (<see cref="DtlsDiscardingCipher"/>).</summary>
    public override TlsCipher CreateCipher(TlsCryptoParameters cryptoParams, int encryptionAlgorithm, int macAlgorithm) =>
        new DtlsDiscardingCipher(base.CreateCipher(cryptoParams, encryptionAlgorithm, macAlgorithm));

    protected override TlsAeadCipher CreateCipher_Aes_Gcm(TlsCryptoParameters cryptoParams, int cipherKeySize, int macSize) =>
        DtlsNativeAesGcm.IsAvailable
            ? new TlsAeadCipher(cryptoParams, new DtlsNativeAesGcm(encrypt: true), new DtlsNativeAesGcm(encrypt: false),
                cipherKeySize, macSize, TlsAeadCipher.AEAD_GCM)
            : base.CreateCipher_Aes_Gcm(cryptoParams, cipherKeySize, macSize);

    private sealed class PreparedDomain(TlsAgreement prepared) : TlsECDomain
    {
        public TlsAgreement CreateECDH() => prepared;
    }
}
