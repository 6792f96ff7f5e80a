namespace PxpActors.WebRtc.DataChannels;

/// <summary>A malformed or illegal DCEP message (RFC 8832), or a data-channel protocol violation by the peer.</summary>
public sealed class DcepProtocolException(string message) : Exception(message);
