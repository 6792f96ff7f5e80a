namespace PxpActors.Transports;

/// <summary>
/// A listener could not accept a connection. <see cref="Fatal"/> false: a passing condition (out of file descriptors, a
/// connection aborted before it was taken); the listener backs off and goes on. True: the listener has stopped.
/// </summary>
public sealed class ListenerException(Uri address, bool fatal, string message, Exception inner)
    : Exception($"Listener on {address}: {message}", inner)
{
    /// <summary>The address the listener was bound to.</summary>
    public Uri Address { get; } = address;

    /// <summary>True when the listener has stopped; false when it goes on accepting.</summary>
    public bool Fatal { get; } = fatal;
}
