using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's view of our DTLS server: the same profile as <see cref="DtlsClientPeer"/>, and a
/// mandatory client certificate (a CertificateRequest is always sent; a client without one is rejected).
/// </summary>
internal sealed class DtlsServerPeer(BcTlsCrypto crypto, DtlsPeerState state) : DefaultTlsServer(crypto)
{
    private static readonly short[] ClientCertificateTypes = [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign];

    protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

    protected override int[] GetSupportedCipherSuites() =>
        TlsUtilities.GetSupportedCipherSuites(Crypto, DtlsCipherSuites.Preferred);

    public override int[] GetSupportedGroups() => DtlsCipherSuites.Groups;

    protected override TlsCredentialedSigner GetECDsaSignerCredentials() => state.CreateSigner(m_context, crypto);

    public override CertificateRequest GetCertificateRequest() =>
        new(ClientCertificateTypes, TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context), null);

    public override void NotifyClientCertificate(Certificate clientCertificate) => state.VerifyRemote(clientCertificate);

    public override bool RequiresExtendedMasterSecret() => true;

    public override void ProcessClientExtensions(IDictionary<int, byte[]> clientExtensions)
    {
        state.RequireExtendedMasterSecret(clientExtensions, "client");
        base.ProcessClientExtensions(clientExtensions);
    }

    public override bool ShouldCheckSigAlgOfPeerCerts() => false;

    public override int GetHandshakeTimeoutMillis() => 0;

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
