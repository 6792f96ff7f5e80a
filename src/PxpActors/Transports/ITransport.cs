namespace PxpActors.Transports;

/// <summary>
/// A way to reach peers by URL (tcp://, ws://): dial out, or listen and hand each accepted connection
/// to a callback. Every connection is a duplex <see cref="Stream"/>, which is all a PXP session needs.
/// </summary>
public interface ITransport
{
    /// <summary>The transport's name, which sessions over it report: its URL scheme, e.g. "tcp" ("ws" for ws:// and wss://).</summary>
    string Scheme { get; }

    /// <summary>Dials <paramref name="address"/>; completes with the connection as a duplex stream.</summary>
    Task<Stream> ConnectAsync(Uri address, CancellationToken cancellationToken = default);

    /// <param name="onError">
    /// Told of every connection the listener failed to accept (a <see cref="ListenerException"/>): it retries after a
    /// passing error, and stops after a fatal one.
    /// </param>
    /// <param name="address">Where to listen (port 0: any free port).</param>
    /// <param name="onAccepted">Given each accepted connection.</param>
    /// <param name="cancellationToken">Cancels binding the listener.</param>
    Task<ITransportListener> ListenAsync(Uri address, Func<Stream, Task> onAccepted, Action<ListenerException>? onError = null,
        CancellationToken cancellationToken = default);
}

/// <summary>A running listener; disposing it stops accepting (connections already accepted stay open).</summary>
public interface ITransportListener : IAsyncDisposable
{
    /// <summary>The address actually bound (port 0 resolved to the real port).</summary>
    Uri LocalAddress { get; }
}
