using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace PxpActors.Relays;

/// <summary>
/// One direction of a relay, limited to a byte rate (the reference's default is 50,000 bytes/s).
/// Chunks are cut to at most a tenth of a second's worth, so the limit shapes smoothly.
/// </summary>
public static class RelayThrottle
{
    /// <summary>One direction of a relay through this node as the hub: throttled, and what passed counted in <c>pxp.relay.bytes</c>.</summary>
    internal static Flow<ByteString, ByteString, NotUsed> Create(int bytesPerSecond, bool toCandidate) =>
        Create(bytesPerSecond).Select(piece =>
        {
            Diagnostics.RelayTraffic.Relayed(piece.Count, toCandidate); // a piece is at most a tenth of a second's worth
            return piece;
        });

    /// <summary>A flow that passes at most <paramref name="bytesPerSecond"/> bytes per second (0 or less: everything at once).</summary>
    public static Flow<ByteString, ByteString, NotUsed> Create(int bytesPerSecond)
    {
        if (bytesPerSecond <= 0) return Flow.Create<ByteString>();
        var piece = Math.Max(1, bytesPerSecond / 10);
        return Flow.Create<ByteString>()
            .SelectMany(chunk => Split(chunk, piece))
            .Throttle(bytesPerSecond, TimeSpan.FromSeconds(1), piece, chunk => chunk.Count, ThrottleMode.Shaping)
            .Named("pxpRelayThrottle");
    }

    private static IEnumerable<ByteString> Split(ByteString chunk, int piece)
    {
        for (var offset = 0; offset < chunk.Count; offset += piece)
            yield return chunk.Slice(offset, Math.Min(piece, chunk.Count - offset));
    }
}
