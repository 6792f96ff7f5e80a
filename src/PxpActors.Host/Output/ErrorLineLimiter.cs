namespace PxpActors.Host.Output;

/// <summary>
/// At most <see cref="PerWindow"/> error lines per <see cref="Window"/>: past that, errors are counted and the count is
/// printed once, as the next window opens. A reset flood then costs a handful of lines, not one per connection.
/// </summary>
internal sealed class ErrorLineLimiter(TimeProvider clock)
{
    public const int PerWindow = 5;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly object _gate = new();
    private long _windowStart = clock.GetTimestamp();
    private int _printed;
    private long _suppressed;

    /// <summary>Whether to print this error, and how many were held back before it (to be said first).</summary>
    public (bool Print, long SuppressedBefore) Take()
    {
        lock (_gate)
        {
            long before = 0;
            if (clock.GetElapsedTime(_windowStart) >= Window)
            {
                before = _suppressed;
                _suppressed = 0;
                _printed = 0;
                _windowStart = clock.GetTimestamp();
            }
            if (_printed < PerWindow)
            {
                _printed++;
                return (true, before);
            }
            _suppressed++;
            return (false, before);
        }
    }

    /// <summary>The errors held back so far, once the window they fell in is over; 0 while it is still open.</summary>
    public long TakeSuppressed()
    {
        lock (_gate)
        {
            if (_suppressed == 0 || clock.GetElapsedTime(_windowStart) < Window) return 0;
            var suppressed = _suppressed;
            _suppressed = 0;
            _printed = 0;
            _windowStart = clock.GetTimestamp();
            return suppressed;
        }
    }
}
