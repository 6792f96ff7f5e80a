namespace PxpActors.WebRtc.Sdp;

/// <summary>A session description is malformed or lacks what a WebRTC data channel needs.</summary>
public sealed class SdpException(string message, Exception? cause = null) : Exception(message, cause);
