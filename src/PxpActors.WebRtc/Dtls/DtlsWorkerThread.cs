using Org.BouncyCastle.Security;

namespace PxpActors.WebRtc.Dtls;

/// <summary>
/// The dedicated thread a <see cref="DtlsConnection"/> runs BouncyCastle on, started ahead of the handshake with
/// the handshake's crypto made on it (<see cref="DtlsRecordKeyCapture"/>: its ephemeral key pair and signing nonce),
/// so that none of that is on the handshake's clock once role, peer and path are known. It runs one job, or ends
/// without one when abandoned.
/// </summary>
internal sealed class DtlsWorkerThread
{
    private readonly object _gate = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action<DtlsRecordKeyCapture?>? _job;
    private bool _abandoned;

    public DtlsWorkerThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public bool IsAlive => _thread.IsAlive;

    /// <summary>Completes when the thread has finished its job, or ended without one.</summary>
    public Task Exited => _exited.Task;

    /// <summary>
    /// Gives the thread its job, which receives the crypto made ahead (null when making it failed: the job then makes
    /// its own and reports the failure as its own).
    /// </summary>
    public void Start(Action<DtlsRecordKeyCapture?> job)
    {
        ArgumentNullException.ThrowIfNull(job);
        lock (_gate)
        {
            if (_job is not null || _abandoned) throw new InvalidOperationException("A DTLS worker thread runs one job.");
            _job = job;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Ends the thread if it has no job yet; no effect otherwise.</summary>
    public void Abandon()
    {
        lock (_gate)
        {
            if (_job is not null) return;
            _abandoned = true;
            Monitor.Pulse(_gate);
        }
    }

    public void Join() => _thread.Join();

    private void Run()
    {
        try
        {
            var crypto = Prepare();
            Action<DtlsRecordKeyCapture?>? job;
            lock (_gate)
            {
                while (_job is null && !_abandoned) Monitor.Wait(_gate);
                job = _job;
            }
            job?.Invoke(crypto);
        }
        finally
        {
            _exited.TrySetResult();
        }
    }

    private static DtlsRecordKeyCapture? Prepare()
    {
        try
        {
            return new DtlsRecordKeyCapture(new SecureRandom());
        }
        catch (Exception)
        {
            // Nothing to report to yet: the job makes the crypto again, on its handshake, and fails that with the cause.
            return null;
        }
    }
}
