using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// What the BouncyCastle client or server peer needs from us and learns during the handshake: our
/// certificate, the fingerprint signaling announced for the peer, and the outcome (verified fingerprint,
/// mismatch, alerts) so a failure can be reported with its real cause instead of BouncyCastle's generic one.
/// Written by the DTLS worker thread, read after it has ended or under the connection's own ordering.
/// </summary>
internal sealed class DtlsPeerState(DtlsCertificate localCertificate, DtlsFingerprint expectedRemote, DtlsSettings settings)
{
    private static readonly SignatureAndHashAlgorithm EcdsaSha256 = new(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);

    public DtlsSettings Settings { get; } = settings;

    public volatile DtlsFingerprint? VerifiedRemote;
    public volatile DtlsFingerprintMismatchException? Mismatch;
    public volatile string? FatalAlertReceived;
    public volatile bool CloseNotifyReceived;

    /// <summary>Why we refused the peer's handshake, when the reason is ours and not a certificate.</summary>
    public volatile string? Refusal;

    /// <summary>Set when the handshake completes: what was negotiated, for diagnostics and tests.</summary>
    public volatile DtlsNegotiatedSecurity? Negotiated;

    public int ResendMillis => (int)Math.Clamp(Settings.InitialRetransmitInterval.TotalMilliseconds, 1, 60_000);

    public Certificate LocalTlsCertificate(TlsCrypto crypto) =>
        new([crypto.CreateCertificate(localCertificate.Der)]);

    /// <summary>
    /// Our signer: with the nonce <paramref name="crypto"/> made ahead when it has one (the handshake's one signature),
    /// else the platform's ECDSA, else BouncyCastle's.
    /// </summary>
    public TlsCredentialedSigner CreateSigner(TlsContext context, BcTlsCrypto crypto)
    {
        var key = localCertificate.PrivateKey;
        TlsSigner signer = localCertificate.NativeSigningKey is { } native ? new DtlsNativeEcdsaSigner(native) : new BcTlsECDsaSigner(crypto, key);
        if ((crypto as DtlsCrypto)?.TakeEcdsaNonce() is { } nonce) signer = new DtlsPreparedEcdsaSigner(key, nonce, signer);
        return new DefaultTlsCredentialedSigner(new TlsCryptoParameters(context), signer, LocalTlsCertificate(crypto), EcdsaSha256);
    }

    /// <summary>Fails the handshake with bad_certificate unless the peer's end-entity certificate matches.</summary>
    public void VerifyRemote(Certificate? presented)
    {
        if (presented is null || presented.IsEmpty)
        {
            Mismatch = new DtlsFingerprintMismatchException(expectedRemote, null);
            throw new TlsFatalAlert(AlertDescription.certificate_required);
        }
        var der = presented.GetCertificateAt(0).GetEncoded();
        if (!expectedRemote.Matches(der))
        {
            var actual = DtlsFingerprint.Compute(der, expectedRemote.IsVerifiable ? expectedRemote.Algorithm : DtlsFingerprint.Sha256);
            Mismatch = new DtlsFingerprintMismatchException(expectedRemote, actual);
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
        VerifiedRemote = expectedRemote;
    }

    /// <summary>RFC 7627: libwebrtc and Chromium always negotiate it; without it we abort (handshake_failure).</summary>
    public void RequireExtendedMasterSecret(IDictionary<int, byte[]>? extensions, string peer)
    {
        if (TlsExtensionsUtilities.HasExtendedMasterSecretExtension(extensions)) return;
        Refusal = $"The DTLS {peer} did not negotiate the extended master secret (RFC 7627), which we require.";
        throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }

    public void OnHandshakeComplete(TlsContext context) =>
        Negotiated = new DtlsNegotiatedSecurity(context.SecurityParameters.CipherSuite, context.SecurityParameters.IsExtendedMasterSecret,
            (context.Crypto as DtlsCrypto)?.KeyExchangeGroup);

    public void OnAlertReceived(short level, short description)
    {
        if (level == AlertLevel.fatal)
            FatalAlertReceived = AlertDescription.GetText(description);
        else if (description == AlertDescription.close_notify)
            CloseNotifyReceived = true;
    }
}
