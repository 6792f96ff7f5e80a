namespace PxpActors.WebRtc.Sctp;

/// <summary>Malformed or illegal SCTP input from the network (a bad packet, chunk, parameter or state cookie).</summary>
public sealed class SctpProtocolException(string message, Exception? cause = null) : Exception(message, cause);
