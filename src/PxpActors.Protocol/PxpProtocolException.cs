namespace PxpActors.Protocol;

/// <summary>
/// The one error the wire codec raises: the peer sent bytes that are not PXP (bad magic, bad varint,
/// oversized frame, malformed RPC). The session that read them is closed; nothing else is affected.
/// </summary>
public sealed class PxpProtocolException(string message, Exception? inner = null) : Exception(message, inner);
