namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// The certificate the peer presented does not match the <c>a=fingerprint</c> its session description
/// announced, so the peer is not who signaling said it was. The handshake is aborted (fail closed).
/// </summary>
public sealed class DtlsFingerprintMismatchException(DtlsFingerprint expected, DtlsFingerprint? actual)
    : DtlsException(actual is null
        ? $"The DTLS peer presented no certificate; expected fingerprint {expected}."
        : $"The DTLS peer's certificate has fingerprint {actual}, but signaling announced {expected}.")
{
    /// <summary>The fingerprint the peer's description announced.</summary>
    public DtlsFingerprint Expected { get; } = expected;

    /// <summary>The fingerprint of what the peer presented, or null when it presented no certificate.</summary>
    public DtlsFingerprint? Actual { get; } = actual;
}
