using PxpActors.WebRtc.Dtls;

namespace PxpActors.WebRtc.Tests.Dtls;

/// <summary>Certificates and handshake parameters for a pair of our own DTLS endpoints.</summary>
internal sealed class DtlsTestPeers
{
    public DtlsCertificate ClientCertificate { get; } = DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(30));

    public DtlsCertificate ServerCertificate { get; } = DtlsCertificate.Generate(TimeProvider.System, TimeSpan.FromDays(30));

    public DtlsSettings Settings { get; init; } = DtlsSettings.Default with { HandshakeTimeout = TimeSpan.FromSeconds(60) };

    public DtlsHandshakeParameters Client(DtlsFingerprint? expectedServer = null) =>
        new(DtlsRole.Client, ClientCertificate, expectedServer ?? ServerCertificate.Fingerprint) { Settings = Settings };

    public DtlsHandshakeParameters Server(DtlsFingerprint? expectedClient = null) =>
        new(DtlsRole.Server, ServerCertificate, expectedClient ?? ClientCertificate.Fingerprint) { Settings = Settings };

    /// <summary>A well-formed sha-256 fingerprint that matches neither certificate.</summary>
    public static DtlsFingerprint Unrelated { get; } = DtlsFingerprint.Compute("not a certificate"u8);
}
