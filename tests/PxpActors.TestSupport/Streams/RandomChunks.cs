namespace PxpActors.TestSupport.Streams;

/// <summary>
/// Cuts a byte buffer into pieces of random length (at least one byte each), so a decoder can be fed
/// the same bytes at arbitrary boundaries. Deterministic for a given <see cref="Random"/> seed.
/// </summary>
public static class RandomChunks
{
    public static IReadOnlyList<byte[]> Split(ReadOnlySpan<byte> data, Random random, int maxChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkSize, 1);
        var chunks = new List<byte[]>();
        var offset = 0;
        while (offset < data.Length)
        {
            var size = random.Next(1, Math.Min(maxChunkSize, data.Length - offset) + 1);
            chunks.Add(data.Slice(offset, size).ToArray());
            offset += size;
        }
        return chunks;
    }

    /// <summary>Every way to cut <paramref name="data"/> in two: (head, tail) for each split point, empty halves included.</summary>
    public static IEnumerable<(byte[] Head, byte[] Tail)> EverySplit(byte[] data)
    {
        for (var at = 0; at <= data.Length; at++)
            yield return (data[..at], data[at..]);
    }
}
