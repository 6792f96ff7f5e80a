namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// What one DTLS handshake needs besides the path below: the role <c>a=setup</c> gave us, our certificate
/// (whose fingerprint we announced) and the fingerprint the peer announced, which its certificate must match.
/// </summary>
public sealed record DtlsHandshakeParameters(DtlsRole Role, DtlsCertificate LocalCertificate, DtlsFingerprint RemoteFingerprint)
{
    /// <summary>Timers and limits of the handshake and the connection.</summary>
    public DtlsSettings Settings { get; init; } = DtlsSettings.Default;
}
