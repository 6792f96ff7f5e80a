namespace PxpActors.Simulation.Remote;

/// <summary>A cross-system link could not be established, or its other side went away before its bytes flowed.</summary>
public sealed class CrossSystemLinkException : Exception
{
    /// <summary>An exception saying what happened to the link.</summary>
    public CrossSystemLinkException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
