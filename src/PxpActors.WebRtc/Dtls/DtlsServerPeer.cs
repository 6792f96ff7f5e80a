using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's view of our DTLS server: the shared <see cref="DtlsPeerProfile"/>, and a mandatory client
/// certificate (a CertificateRequest is always sent; a client without one is rejected).
/// </summary>
internal sealed class DtlsServerPeer(BcTlsCrypto crypto, DtlsPeerState state) : DefaultTlsServer(crypto)
{
    private static readonly short[] ClientCertificateTypes = [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign];

    // What we offer.
    protected override ProtocolVersion[] GetSupportedVersions() => DtlsPeerProfile.Versions;
    protected override int[] GetSupportedCipherSuites() => DtlsPeerProfile.CipherSuites(Crypto);
    public override int[] GetSupportedGroups() => DtlsCipherSuites.Groups;

    // Timers and records.
    public override int GetHandshakeTimeoutMillis() => DtlsPeerProfile.HandshakeTimeoutMillis;
    public override int GetHandshakeResendTimeMillis() => state.ResendMillis;
    public override bool IgnoreCorruptDtlsRecords => DtlsPeerProfile.IgnoreCorruptRecords;

    // What we require of the peer.
    public override bool RequiresExtendedMasterSecret() => DtlsPeerProfile.RequiresExtendedMasterSecret;

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        state.RequireExtendedMasterSecret(clientExtensions, "client");
        base.ProcessClientExtensions(clientExtensions);
    }

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() => state.CreateSigner(m_context, crypto);
    public override CertificateRequest GetCertificateRequest() =>
        new(ClientCertificateTypes, TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context), null);
    public override void NotifyClientCertificate(Certificate clientCertificate) => state.VerifyRemote(clientCertificate);
    public override bool ShouldCheckSigAlgOfPeerCerts() => DtlsPeerProfile.CheckSignatureAlgorithmOfPeerCertificates;

    // The outcome, kept in the shared state.
    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        state.OnHandshakeComplete(m_context);
    }

    public override void NotifyAlertReceived(short alertLevel, short alertDescription) => state.OnAlertReceived(alertLevel, alertDescription);
}
