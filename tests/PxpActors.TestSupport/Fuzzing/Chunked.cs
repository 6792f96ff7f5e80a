namespace PxpActors.TestSupport.Fuzzing;

public delegate void SpanChunkAction(ReadOnlySpan<byte> chunk);

/// <summary>
/// Feeds a streaming decoder one input in pieces of 1 to <c>maxChunk</c> bytes. The cuts come from a small
/// generator seeded by the input's own bytes: the same input is always cut the same way, so the hex a
/// failure prints reproduces it, and cutting allocates nothing that would count against the parser.
/// </summary>
public static class Chunked
{
    public static void Feed(ReadOnlySpan<byte> input, int maxChunk, SpanChunkAction feed)
    {
        var cuts = new Cuts(input, maxChunk);
        while (!input.IsEmpty)
        {
            var size = cuts.Next(input.Length);
            feed(input[..size]);
            input = input[size..];
        }
    }

    /// <summary>The same cuts as slices of one buffer, for decoders that may keep slices of what they are given.</summary>
    public static void Feed(ReadOnlyMemory<byte> input, int maxChunk, Action<ReadOnlyMemory<byte>> feed)
    {
        var cuts = new Cuts(input.Span, maxChunk);
        while (!input.IsEmpty)
        {
            var size = cuts.Next(input.Length);
            feed(input[..size]);
            input = input[size..];
        }
    }

    /// <summary>xorshift32 seeded with an FNV-1a hash of the input.</summary>
    private struct Cuts
    {
        private readonly int _maxChunk;
        private uint _state;

        public Cuts(ReadOnlySpan<byte> input, int maxChunk)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(maxChunk, 1);
            _maxChunk = maxChunk;
            _state = 2166136261;
            foreach (var b in input) _state = (_state ^ b) * 16777619;
            if (_state == 0) _state = 1;
        }

        public int Next(int left)
        {
            _state ^= _state << 13;
            _state ^= _state >> 17;
            _state ^= _state << 5;
            return 1 + (int)(_state % (uint)Math.Min(_maxChunk, left));
        }
    }
}
