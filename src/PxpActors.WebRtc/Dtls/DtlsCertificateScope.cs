namespace PxpActors.WebRtc.Dtls;

/// <summary>How long one generated DTLS certificate is used.</summary>
public enum DtlsCertificateScope
{
    /// <summary>
    /// A fresh key and certificate for every connection, as browsers do per RTCPeerConnection: peers cannot
    /// link our connections by fingerprint. Costs one P-256 key generation per connection.
    /// </summary>
    PerConnection,

    /// <summary>One certificate for the whole node, renewed before it expires. Cheaper; linkable.</summary>
    PerNode,
}
