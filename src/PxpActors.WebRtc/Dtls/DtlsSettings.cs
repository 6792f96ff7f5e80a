namespace PxpActors.WebRtc.Dtls;

/// <summary>Tunables of the DTLS layer. Defaults suit WebRTC data channels.</summary>
public sealed record DtlsSettings
{
    /// <summary>Whole-handshake deadline, measured on the injected <see cref="TimeProvider"/>.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// First retransmission interval of a handshake flight, doubled on each retry (RFC 6347 section 4.2.4.1).
    /// 100 ms rather than RFC 6347's 1 s: RFC 9147 section 5.8.2 recommends it, and our first ClientHello is
    /// often lost because it races the peer's ICE, so a long first timer would dominate connection setup.
    /// BouncyCastle measures it on the wall clock.
    /// </summary>
    public TimeSpan InitialRetransmitInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Whether each connection gets a fresh certificate or the node shares one.</summary>
    public DtlsCertificateScope CertificateScope { get; init; } = DtlsCertificateScope.PerConnection;

    /// <summary>Validity of generated certificates (libwebrtc uses 30 days).</summary>
    public TimeSpan CertificateLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Decrypted datagrams buffered for <c>ReceiveAsync</c>; beyond it new ones are dropped.</summary>
    public int ReceiveQueueCapacity { get; init; } = 256;

    /// <summary>The defaults.</summary>
    public static DtlsSettings Default { get; } = new();
}
