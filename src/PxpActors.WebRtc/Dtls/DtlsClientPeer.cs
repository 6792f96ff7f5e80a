using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's view of our DTLS client: DTLS 1.2 only, our cipher suites, extended master secret
/// required (RFC 7627; libwebrtc insists on it), no use_srtp (data channels only), our certificate sent
/// when the server asks (WebRTC always does), the server's certificate checked against its fingerprint.
/// </summary>
internal sealed class DtlsClientPeer(BcTlsCrypto crypto, DtlsPeerState state) : DefaultTlsClient(crypto), TlsAuthentication
{
    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsCipherSuites.Preferred);

    protected override IList<int> GetSupportedGroups(IList<int> namedGroupRoles) => DtlsCipherSuites.Groups;

    public override TlsAuthentication GetAuthentication() => this;

    public void NotifyServerCertificate(TlsServerCertificate serverCertificate) =>
        state.VerifyRemote(serverCertificate.Certificate);

    public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
        state.CreateSigner(m_context, crypto);

    public override bool RequiresExtendedMasterSecret() => true;

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        state.RequireExtendedMasterSecret(serverExtensions, "server");
        base.ProcessServerExtensions(serverExtensions);
    }

    // Self-signed peer certificates are authenticated by fingerprint alone; whatever algorithm signed them is irrelevant.
    public override bool ShouldCheckSigAlgOfPeerCerts() => false;

    // Zero = no BouncyCastle deadline: DtlsConnection enforces the handshake timeout on the injected clock.
    public override int GetHandshakeTimeoutMillis() => 0;

    // RFC 6347 section 4.1.2.7: records that fail authentication are dropped, not fatal; otherwise one forged
    // datagram would end the association. BoringSSL (libwebrtc) drops them too.
    public override bool IgnoreCorruptDtlsRecords => true;

    public override int GetHandshakeResendTimeMillis() => state.ResendMillis;

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        state.OnHandshakeComplete(m_context);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
        state.OnAlertReceived(alertLevel, alertDescription);
}
