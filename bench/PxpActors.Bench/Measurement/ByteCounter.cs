namespace PxpActors.Bench.Measurement;

/// <summary>Bytes a reader has taken, and a wait for a total to be reached (one waiter at a time).</summary>
public sealed class ByteCounter
{
    private readonly object _gate = new();
    private long _total;
    private long _target = long.MaxValue;
    private TaskCompletionSource? _reached;

    public long Total
    {
        get
        {
            lock (_gate) return _total;
        }
    }

    public void Add(long bytes)
    {
        TaskCompletionSource? reached = null;
        lock (_gate)
        {
            _total += bytes;
            if (_reached is not null && _total >= _target) (reached, _reached) = (_reached, null);
        }
        reached?.TrySetResult();
    }

    /// <summary>Completes once <paramref name="total"/> bytes have been counted.</summary>
    public Task WaitForAsync(long total)
    {
        lock (_gate)
        {
            if (_total >= total) return Task.CompletedTask;
            _target = total;
            _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _reached.Task;
        }
    }
}
