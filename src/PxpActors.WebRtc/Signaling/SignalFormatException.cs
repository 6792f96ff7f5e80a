namespace PxpActors.WebRtc.Signaling;

/// <summary>A signal received from the peer is not one of the simple-peer@6 shapes.</summary>
public sealed class SignalFormatException(string message, Exception? cause = null) : Exception(message, cause);
