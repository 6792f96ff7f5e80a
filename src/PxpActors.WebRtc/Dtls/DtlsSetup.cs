namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// The values of the SDP <c>a=setup</c> attribute (RFC 4145 section 4, applied to DTLS by RFC 5763
/// section 5 and RFC 8842 section 5). <c>holdconn</c> is not used by WebRTC and is not supported.
/// </summary>
public enum DtlsSetup
{
    /// <summary>Either role; what an offerer must send.</summary>
    ActPass,

    /// <summary>We open the association: the DTLS client.</summary>
    Active,

    /// <summary>We wait for the peer: the DTLS server.</summary>
    Passive,
}
