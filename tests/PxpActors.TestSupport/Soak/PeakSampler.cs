using PxpActors.TestSupport.Host;

namespace PxpActors.TestSupport.Soak;

/// <summary>Samples a host at a fixed period while a scenario runs and keeps the largest of each figure.</summary>
public sealed class PeakSampler : IAsyncDisposable
{
    private readonly HostProcess _host;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private ProcessSample _peak;

    private PeakSampler(HostProcess host, TimeSpan period)
    {
        _host = host;
        _peak = host.Sample();
        _loop = Task.Run(() => LoopAsync(period));
    }

    public static PeakSampler Start(HostProcess host, TimeSpan period) => new(host, period);

    /// <summary>Stops sampling and returns the peak, a last sample included.</summary>
    public async Task<ProcessSample> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        return _peak = _host.HasExited ? _peak : _peak.Max(_host.Sample());
    }

    private async Task LoopAsync(TimeSpan period)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) _peak = _peak.Max(_host.Sample());
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        catch (HostExitedException)
        {
            // Nothing more to sample; the runner reports the exit.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
