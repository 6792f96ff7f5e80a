namespace PxpActors.WebRtc.Dtls;

/// <summary>Which side of the DTLS handshake we play; decided by the SDP <c>a=setup</c> negotiation.</summary>
public enum DtlsRole
{
    /// <summary>Sends the ClientHello (<c>a=setup:active</c>).</summary>
    Client,

    /// <summary>Waits for the ClientHello (<c>a=setup:passive</c>).</summary>
    Server,
}
