namespace PxpActors.WebRtc.Dtls;

/// <summary>What a completed handshake negotiated: the cipher suite (IANA number) and whether RFC 7627 applies.</summary>
internal sealed record DtlsNegotiatedSecurity(int CipherSuite, bool ExtendedMasterSecret);
