namespace PxpActors.Bench.Roles;

/// <summary>A thread-safe counter whose <see cref="WhenAtLeastAsync"/> completes once it reaches a value.</summary>
public sealed class CountWaiter
{
    private readonly object _gate = new();
    private readonly List<(int Target, TaskCompletionSource Reached)> _waiters = [];
    private int _count;

    public int Count
    {
        get
        {
            lock (_gate) return _count;
        }
    }

    public void Increment()
    {
        lock (_gate)
        {
            _count++;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Target > _count) continue;
                _waiters[i].Reached.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    public Task WhenAtLeastAsync(int target)
    {
        lock (_gate)
        {
            if (_count >= target) return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, reached));
            return reached.Task;
        }
    }
}
