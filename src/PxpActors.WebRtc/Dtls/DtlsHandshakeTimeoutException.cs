namespace PxpActors.WebRtc.Dtls;

/// <summary>The DTLS handshake did not complete within <see cref="DtlsSettings.HandshakeTimeout"/>.</summary>
public sealed class DtlsHandshakeTimeoutException(TimeSpan timeout)
    : DtlsException($"The DTLS handshake did not complete within {timeout.TotalSeconds:0.###} s.")
{
    /// <summary>How long the handshake was given.</summary>
    public TimeSpan Timeout { get; } = timeout;
}
