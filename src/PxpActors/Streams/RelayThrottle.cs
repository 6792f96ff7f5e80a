using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace PxpActors.Streams;

/// <summary>
/// One direction of a relay, limited to a byte rate (the reference's default is 50,000 bytes/s).
/// Chunks are cut to at most a tenth of a second's worth, so the limit shapes smoothly.
/// </summary>
public static class RelayThrottle
{
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
