using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// The answers our DTLS client and server give BouncyCastle alike. BouncyCastle makes the two roles subclass different
/// bases (<see cref="DefaultTlsClient"/>, <see cref="DefaultTlsServer"/>), so each peer keeps one-line overrides that
/// forward here, and every decision and its reason is written once.
/// </summary>
internal static class DtlsPeerProfile
{
    /// <summary>DTLS 1.2 only: what WebRTC data channels speak (RFC 8827).</summary>
    public static ProtocolVersion[] Versions => ProtocolVersion.DTLSv12.Only();

    /// <summary>Our suites (<see cref="DtlsCipherSuites"/>) that <paramref name="crypto"/> can run.</summary>
    public static int[] CipherSuites(TlsCrypto crypto) => TlsUtilities.GetSupportedCipherSuites(crypto, DtlsCipherSuites.Preferred);

    /// <summary>RFC 7627 is required: libwebrtc insists on it (the peer's extension is checked by <see cref="DtlsPeerState"/>).</summary>
    public const bool RequiresExtendedMasterSecret = true;

    /// <summary>Self-signed peer certificates are authenticated by fingerprint alone; whatever algorithm signed them is irrelevant.</summary>
    public const bool CheckSignatureAlgorithmOfPeerCertificates = false;

    /// <summary>Zero = no BouncyCastle deadline: <see cref="DtlsConnection"/> enforces the handshake timeout on the injected clock.</summary>
    public const int HandshakeTimeoutMillis = 0;

    /// <summary>
    /// RFC 6347 section 4.1.2.7: records that fail authentication are dropped, not fatal; otherwise one forged
    /// datagram would end the association. BoringSSL (libwebrtc) drops them too.
    /// </summary>
    public const bool IgnoreCorruptRecords = true;
}
