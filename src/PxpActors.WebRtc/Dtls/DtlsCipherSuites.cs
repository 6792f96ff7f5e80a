using Org.BouncyCastle.Tls;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// The cipher suites we offer and accept, most preferred first. All use ECDHE with our ECDSA certificate and an
/// AEAD cipher: BoringSSL (libwebrtc, Chromium) and Firefox's NSS all negotiate these. No CBC (MAC-then-encrypt,
/// with its padding-oracle history), no RSA key exchange, no static DH, no PSK.
/// </summary>
internal static class DtlsCipherSuites
{
    public static readonly int[] Preferred =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>Key exchange groups: X25519 first as BoringSSL prefers it, P-256 for everyone.</summary>
    public static readonly int[] Groups = [NamedGroup.x25519, NamedGroup.secp256r1];
}
