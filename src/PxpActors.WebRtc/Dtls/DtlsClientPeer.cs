using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's view of our DTLS client: the shared <see cref="DtlsPeerProfile"/>, no use_srtp (data channels only),
/// our certificate sent when the server asks (WebRTC always does), the server's certificate checked against its fingerprint.
/// </summary>
internal sealed class DtlsClientPeer(BcTlsCrypto crypto, DtlsPeerState state) : DefaultTlsClient(crypto), TlsAuthentication
{
    // What we offer.
    protected override ProtocolVersion[] GetSupportedVersions() => DtlsPeerProfile.Versions;
    protected override int[] GetSupportedCipherSuites() => DtlsPeerProfile.CipherSuites(Crypto);
    protected override IList<int> GetSupportedGroups(IList<int> namedGroupRoles) => DtlsCipherSuites.Groups;

    // Timers and records.
    public override int GetHandshakeTimeoutMillis() => DtlsPeerProfile.HandshakeTimeoutMillis;
    public override int GetHandshakeResendTimeMillis() => state.ResendMillis;
    public override bool IgnoreCorruptDtlsRecords => DtlsPeerProfile.IgnoreCorruptRecords;

    // What we require of the peer.
    public override bool RequiresExtendedMasterSecret() => DtlsPeerProfile.RequiresExtendedMasterSecret;

    public override void ProcessServerExtensions(IDictionary<int, byte[]> serverExtensions)
    {
        state.RequireExtendedMasterSecret(serverExtensions, "server");
        base.ProcessServerExtensions(serverExtensions);
    }

    public override TlsAuthentication GetAuthentication() => this;
    public void NotifyServerCertificate(TlsServerCertificate serverCertificate) => state.VerifyRemote(serverCertificate.Certificate);
    public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) => state.CreateSigner(m_context, crypto);
    public override bool ShouldCheckSigAlgOfPeerCerts() => DtlsPeerProfile.CheckSignatureAlgorithmOfPeerCertificates;

    // The outcome, kept in the shared state.
    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        state.OnHandshakeComplete(m_context);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) => state.OnAlertReceived(alertLevel, alertDescription);
}
