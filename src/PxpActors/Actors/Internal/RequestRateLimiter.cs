using System.Diagnostics;

namespace PxpActors.Actors.Internal;

/// <summary>A token bucket for requests from one peer: a steady rate with a burst of twice that.</summary>
internal sealed class RequestRateLimiter(int perSecond)
{
    private readonly double _capacity = Math.Max(1, perSecond * 2);
    private double _tokens = Math.Max(1, perSecond * 2);
    private long _last = Stopwatch.GetTimestamp();

    public bool TryTake()
    {
        var now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + Stopwatch.GetElapsedTime(_last, now).TotalSeconds * perSecond);
        _last = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
