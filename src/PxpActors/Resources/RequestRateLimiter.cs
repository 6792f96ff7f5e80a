namespace PxpActors.Resources;

/// <summary>A token bucket for requests from one peer: a steady rate with a burst of twice that, on the node's clock.</summary>
internal sealed class RequestRateLimiter(int perSecond, TimeProvider time)
{
    private readonly double _capacity = Math.Max(1, perSecond * 2);
    private double _tokens = Math.Max(1, perSecond * 2);
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * perSecond);
        _last = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
