using PxpActors.TestSupport.Fuzzing;

namespace PxpActors.Protocol.Tests.Fuzzing;

/// <summary>A connection's first bytes, damaged and cut anywhere: the matcher takes exactly the magic or refuses.</summary>
public sealed class MagicMatcherFuzz
{
    [Theory]
    [Trait("Category", FuzzBudget.Category)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public void Magic_matcher_at_any_chunking_must_take_only_the_magic_or_refuse_with_PxpProtocolException(int maxChunk) =>
        ParserFuzz.Run<PxpProtocolException>(MutatedInputs.Of(WellFormed.Connections), input =>
        {
            var matcher = new MagicMatcher();
            var taken = 0;
            Chunked.Feed(input, maxChunk, chunk =>
            {
                var took = matcher.Consume(chunk);
                if (took > chunk.Length || (took < chunk.Length && !matcher.IsComplete))
                    throw new InvalidOperationException($"took {took} of a {chunk.Length}-byte chunk, complete: {matcher.IsComplete}");
                taken += took;
            });
            if (taken > PxpMagic.Length || (matcher.IsComplete && !input.AsSpan(0, PxpMagic.Length).SequenceEqual(PxpMagic.Bytes)))
                throw new InvalidOperationException($"took {taken} bytes as the magic");
        }, bytesPerInputByte: 0, fixedBytes: 4 * 1024).MustReachBothPaths();
}
