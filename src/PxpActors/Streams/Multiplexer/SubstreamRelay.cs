using System.Buffers;

namespace PxpActors.Streams.Multiplexer;

/// <summary>
/// Two substreams of different sessions relayed to each other without a graph: per direction a loop that
/// moves what arrived through a pooled buffer, rented only while there is something to move (an idle relay
/// holds none), with the channels' own bounds as backpressure and no stage hops. Ending one direction ends it
/// on the other side; a failure ends both directions.
/// </summary>
public static class SubstreamRelay
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>Completes when both directions are over.</summary>
    public static Task RunAsync(SubstreamChannel a, SubstreamChannel b) => Task.WhenAll(PumpAsync(a, b), PumpAsync(b, a));

    private static async Task PumpAsync(SubstreamChannel from, SubstreamChannel to)
    {
        try
        {
            while (await from.WaitToReadAsync().ConfigureAwait(false))
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                try
                {
                    var read = await from.ReadAsync(buffer).ConfigureAwait(false); // at once: bytes are waiting
                    await to.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
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
