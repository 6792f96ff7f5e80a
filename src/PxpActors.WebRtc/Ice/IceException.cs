namespace PxpActors.WebRtc.Ice;

/// <summary>An ICE agent failed; <see cref="Reason"/> says why and the message gives the details.</summary>
public sealed class IceException(IceFailureReason reason, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Why the agent failed.</summary>
    public IceFailureReason Reason { get; } = reason;
}
