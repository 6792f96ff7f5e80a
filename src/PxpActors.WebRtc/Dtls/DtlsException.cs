namespace PxpActors.WebRtc.Dtls;

/// <summary>A DTLS handshake or connection failed: bad input from the peer, a fatal alert, a lost path.</summary>
public class DtlsException(string message, Exception? cause = null) : Exception(message, cause);
