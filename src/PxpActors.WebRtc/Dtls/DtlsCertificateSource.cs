namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// Hands out the local certificate for each new connection according to
/// <see cref="DtlsSettings.CertificateScope"/>. Thread-safe. A per-node certificate is renewed once less
/// than a tenth of its lifetime remains, so a connection never starts with a nearly expired one.
/// Per connection, the next certificate is made in the background as soon as one is handed out: a P-256 key
/// generation and a signature then stay off the next connection's setup (an answerer makes its peer
/// connection when the offer arrives), and every connection still gets a key of its own.
/// </summary>
public sealed class DtlsCertificateSource(DtlsSettings settings, TimeProvider timeProvider)
{
    private readonly object _gate = new();
    private DtlsCertificate? _shared;
    private Task<DtlsCertificate>? _reserve;

    /// <summary>The certificate made ahead for the next per-connection <see cref="Next"/>, or null before the first.</summary>
    internal Task<DtlsCertificate>? Reserve
    {
        get { lock (_gate) return _reserve; }
    }

    /// <summary>The certificate for the next connection: a fresh one, or the node's (renewed when near expiry).</summary>
    public DtlsCertificate Next()
    {
        if (settings.CertificateScope == DtlsCertificateScope.PerConnection)
            return NextPerConnection();
        lock (_gate)
        {
            if (_shared is null || NearExpiry(_shared))
                _shared = Generate();
            return _shared;
        }
    }

    /// <summary>
    /// The reserve when it is ready and not near expiry (and another is started), else one made here: a reserve still
    /// being made is kept for the next call rather than waited for, so no caller blocks on another thread.
    /// </summary>
    private DtlsCertificate NextPerConnection()
    {
        Task<DtlsCertificate>? ready;
        lock (_gate)
        {
            ready = _reserve;
            if (ready is { IsCompleted: false })
                ready = null;
            else
                _reserve = Task.Run(Generate);
        }
        return ready is { IsCompletedSuccessfully: true } && !NearExpiry(ready.Result) ? ready.Result : Generate();
    }

    private bool NearExpiry(DtlsCertificate certificate) =>
        timeProvider.GetUtcNow() >= certificate.NotAfter - settings.CertificateLifetime / 10;

    private DtlsCertificate Generate() => DtlsCertificate.Generate(timeProvider, settings.CertificateLifetime);
}
