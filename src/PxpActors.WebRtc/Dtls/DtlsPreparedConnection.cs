using PxpActors.WebRtc.Datagrams;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// A <see cref="DtlsConnection"/> made ready by <see cref="DtlsConnection.Prepare"/> before its role, its peer's
/// fingerprint and its path are known: its thread is running and its ephemeral key pair and signing nonce are made.
/// It makes one handshake; until then, disposing it ends its thread.
/// </summary>
public sealed class DtlsPreparedConnection : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly DtlsWorkerThread _worker;
    private bool _used;
    private bool _disposed;

    internal DtlsPreparedConnection(DtlsCertificate localCertificate, DtlsSettings settings, TimeProvider timeProvider, DtlsWorkerThread worker)
    {
        LocalCertificate = localCertificate;
        Settings = settings;
        _timeProvider = timeProvider;
        _worker = worker;
    }

    /// <summary>The certificate the handshake will present.</summary>
    public DtlsCertificate LocalCertificate { get; }

    /// <summary>The settings the connection was prepared with.</summary>
    public DtlsSettings Settings { get; }

    /// <summary>For tests: the prepared thread is still running (waiting for its handshake, or running it).</summary>
    internal bool IsWorkerAlive => _worker.IsAlive;

    /// <summary>
    /// Runs the handshake in <paramref name="role"/> against <paramref name="remoteFingerprint"/> over
    /// <paramref name="lower"/> once that path is ready, as
    /// <see cref="DtlsConnection.HandshakeAsync(Task{IDatagramConnection}, DtlsHandshakeParameters, TimeProvider?, CancellationToken)"/>
    /// does: the returned connection (or, on failure, the handshake) owns the thread and the path from now on.
    /// </summary>
    public Task<DtlsConnection> HandshakeAsync(
        Task<IDatagramConnection> lower,
        DtlsRole role,
        DtlsFingerprint remoteFingerprint,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lower);
        ArgumentNullException.ThrowIfNull(remoteFingerprint);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_used) throw new InvalidOperationException("A prepared DTLS connection makes one handshake.");
            _used = true;
        }
        var parameters = new DtlsHandshakeParameters(role, LocalCertificate, remoteFingerprint) { Settings = Settings };
        return DtlsConnection.HandshakeAsync(lower, parameters, _timeProvider, _worker, cancellationToken);
    }

    /// <summary>Ends the prepared thread if no handshake was started; once one was, the connection it made owns everything.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_used || _disposed) return;
            _disposed = true;
        }
        _worker.Abandon();
        await _worker.Exited.ConfigureAwait(false);
        _worker.Join(); // it has returned from its work: this only waits for the thread to be gone
    }
}
