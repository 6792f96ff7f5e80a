namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// Hands out the local certificate for each new connection according to
/// <see cref="DtlsSettings.CertificateScope"/>. Thread-safe. A per-node certificate is renewed once less
/// than a tenth of its lifetime remains, so a connection never starts with a nearly expired one.
/// </summary>
public sealed class DtlsCertificateSource(DtlsSettings settings, TimeProvider timeProvider)
{
    private readonly object _gate = new();
    private DtlsCertificate? _shared;

    /// <summary>The certificate for the next connection: a fresh one, or the node's (renewed when near expiry).</summary>
    public DtlsCertificate Next()
    {
        if (settings.CertificateScope == DtlsCertificateScope.PerConnection)
            return DtlsCertificate.Generate(timeProvider, settings.CertificateLifetime);

        lock (_gate)
        {
            var renewAt = _shared?.NotAfter - settings.CertificateLifetime / 10;
            if (_shared is null || timeProvider.GetUtcNow() >= renewAt)
                _shared = DtlsCertificate.Generate(timeProvider, settings.CertificateLifetime);
            return _shared;
        }
    }
}
