namespace PxpActors.TestSupport.Wrtc;

/// <summary>The libwebrtc driver failed: npm, the node process, a timeout, or libwebrtc rejecting a command.</summary>
public sealed class WrtcException(string message, string? libwebrtcError = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>libwebrtc's own error text when a command was rejected by it, for tests to assert on.</summary>
    public string? LibwebrtcError { get; } = libwebrtcError;
}
