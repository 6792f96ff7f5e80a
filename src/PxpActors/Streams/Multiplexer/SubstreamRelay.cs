namespace PxpActors.Streams.Multiplexer;

/// <summary>
/// Two substreams of different sessions relayed to each other without a graph: per direction a loop
/// that hands each chunk on as it is (no copy, and no stage hops), with the channels' own bounds as
/// backpressure. Ending one direction ends it on the other side; a failure ends both directions.
/// </summary>
public static class SubstreamRelay
{
    /// <summary>Completes when both directions are over.</summary>
    public static Task RunAsync(SubstreamChannel a, SubstreamChannel b) => Task.WhenAll(PumpAsync(a, b), PumpAsync(b, a));

    private static async Task PumpAsync(SubstreamChannel from, SubstreamChannel to)
    {
        try
        {
            while (await from.ReadAsync().ConfigureAwait(false) is { } chunk)
                await to.WriteAsync(chunk).ConfigureAwait(false);
            to.CompleteWrites();
        }
        catch (Exception)
        {
            // A reset or a closed session on either side: stop reading both, end both (with end frames only).
            from.StopReading();
            to.StopReading();
            to.CompleteWrites();
            from.CompleteWrites();
        }
    }
}
