using System.Collections.Concurrent;

namespace PxpActors.TestSupport.Soak;

/// <summary>Thread-safe tallies of what a scenario's peers saw, and the first few failures in words.</summary>
public sealed class OutcomeCounter
{
    private const int FailuresKept = 5;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _failures = new();
    private int _failureCount;

    public void Count(string what) => _counts.AddOrUpdate(what, 1, (_, n) => n + 1);

    public int this[string what] => _counts.GetValueOrDefault(what);

    public void Fail(string who, Exception error)
    {
        if (Interlocked.Increment(ref _failureCount) <= FailuresKept) _failures.Enqueue($"{who}: {error.GetType().Name}: {error.Message}");
    }

    public SoakOutcome Outcome(string prefix) => new(
        $"{prefix}: {string.Join(", ", _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}"))}",
        Volatile.Read(ref _failureCount), _failures.ToArray());
}
