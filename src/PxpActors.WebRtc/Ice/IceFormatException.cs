namespace PxpActors.WebRtc.Ice;

/// <summary>A candidate line or ICE credential from the peer that does not follow RFC 8839.</summary>
public sealed class IceFormatException(string message) : Exception(message);
