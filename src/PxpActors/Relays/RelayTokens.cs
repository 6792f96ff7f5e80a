namespace PxpActors.Relays;

/// <summary>
/// The token bucket of one relay direction, read on the node's clock: <c>bytesPerSecond</c> tokens a second, at most a
/// tenth of a second's worth (<see cref="Piece"/>) saved up, which is also the burst there from the start. No Akka: the
/// caller waits as it sees fit (a stage on its timers), so under a test scheduler the rate holds in virtual time.
/// </summary>
internal sealed class RelayTokens
{
    private readonly int _rate;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _refilled;

    public RelayTokens(int bytesPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytesPerSecond);
        _rate = bytesPerSecond;
        _time = time;
        Piece = Math.Max(1, bytesPerSecond / 10);
        _tokens = Piece;
        _refilled = time.GetTimestamp();
    }

    /// <summary>The most bytes passed at once: a tenth of a second's worth, so the limit shapes smoothly.</summary>
    public int Piece { get; }

    /// <summary>
    /// Takes <paramref name="bytes"/> (at most <see cref="Piece"/>) tokens if they are there and answers zero; else takes
    /// nothing and answers how long until they are (at least a tick: a zero wait would spin without time passing).
    /// </summary>
    public TimeSpan TryTake(int bytes)
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(Piece, _tokens + _time.GetElapsedTime(_refilled, now).TotalSeconds * _rate);
        _refilled = now;
        if (_tokens >= bytes)
        {
            _tokens -= bytes;
            return TimeSpan.Zero;
        }
        return TimeSpan.FromTicks(Math.Max(1L, (long)Math.Ceiling((bytes - _tokens) * TimeSpan.TicksPerSecond / _rate)));
    }
}
