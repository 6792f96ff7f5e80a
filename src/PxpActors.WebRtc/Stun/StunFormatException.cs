namespace PxpActors.WebRtc.Stun;

/// <summary>A datagram that is not a well-formed STUN message, or a STUN message with a malformed attribute.</summary>
public sealed class StunFormatException(string message) : Exception(message);
