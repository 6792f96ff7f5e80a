namespace PxpActors.WebRtc.Ice;

/// <summary>
/// Consent freshness bookkeeping for the selected pair (RFC 7675): when the next consent check is due
/// (the interval randomised to 0.8–1.2× so peers do not synchronise) and how long the peer has been silent.
/// </summary>
internal sealed class IceConsent(IceAgentOptions options, Random random)
{
    private DateTimeOffset _lastResponse;
    private DateTimeOffset? _nextCheck;

    public bool IsRunning => _nextCheck is not null;

    /// <summary>A pair was selected: its successful check counts as the first consent.</summary>
    public void Start(DateTimeOffset now)
    {
        _lastResponse = now;
        _nextCheck = now + Interval();
    }

    public void Refreshed(DateTimeOffset now) => _lastResponse = now;

    public TimeSpan Silence(DateTimeOffset now) => now - _lastResponse;

    public bool IsCheckDue(DateTimeOffset now) => _nextCheck <= now;

    public void CheckSent(DateTimeOffset now) => _nextCheck = now + Interval();

    /// <summary>The next moment something consent-related happens: a check, going disconnected, or expiry.</summary>
    public DateTimeOffset? NextDeadline(bool connected)
    {
        if (_nextCheck is not { } next) return null;
        var expiry = _lastResponse + options.ConsentTimeout;
        if (expiry < next) next = expiry;
        var disconnect = _lastResponse + options.DisconnectedTimeout;
        if (connected && disconnect < next) next = disconnect;
        return next;
    }

    private TimeSpan Interval() => options.ConsentInterval * (0.8 + 0.4 * random.NextDouble());
}
