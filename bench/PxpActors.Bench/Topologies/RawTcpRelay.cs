namespace PxpActors.Bench.Topologies;

/// <summary>
/// The floor for any relay measured in one process: two plain loopback socket pairs joined by a pump that copies
/// from one to the other, nothing else. Every byte crosses two connections, as through a PXP hub.
/// </summary>
public sealed class RawTcpRelay : IAsyncDisposable
{
    private readonly StreamPair _toHub;
    private readonly StreamPair _fromHub;
    private readonly Task _pump;

    private RawTcpRelay(StreamPair toHub, StreamPair fromHub)
    {
        _toHub = toHub;
        _fromHub = fromHub;
        _pump = Task.Run(PumpAsync);
        Streams = new StreamPair(toHub.Writer, fromHub.Reader);
    }

    /// <summary>Write at one end, read at the other, through the pump.</summary>
    public StreamPair Streams { get; }

    public static async Task<RawTcpRelay> OpenAsync() =>
        new(await RawTcpPair.OpenAsync().ConfigureAwait(false), await RawTcpPair.OpenAsync().ConfigureAwait(false));

    private async Task PumpAsync()
    {
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await _toHub.Reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            await _fromHub.Writer.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
        await _fromHub.Writer.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _toHub.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (IOException)
        {
            // the connection went away under the pump: it is being torn down anyway
        }
        await _fromHub.DisposeAsync().ConfigureAwait(false);
    }
}
