namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// What a completed handshake negotiated: the cipher suite (IANA number), whether RFC 7627 applies, and the (EC)DHE
/// group (IANA number; null when none was used).
/// </summary>
internal sealed record DtlsNegotiatedSecurity(int CipherSuite, bool ExtendedMasterSecret, int? KeyExchangeGroup);
