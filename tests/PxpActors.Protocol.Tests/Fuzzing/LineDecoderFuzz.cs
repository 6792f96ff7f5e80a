using PxpActors.Protocol.Framing;
using PxpActors.TestSupport.Fuzzing;

namespace PxpActors.Protocol.Tests.Fuzzing;

/// <summary>
/// The "pxp" substream's bytes, damaged, at every chunking and with line limits that the longer seeds (a getpeers reply, the whole stream) exceed: only
/// <see cref="PxpProtocolException"/> escapes, every line is within the limit, and the line buffer grows with
/// the bytes received, never ahead of them.
/// </summary>
public sealed class LineDecoderFuzz
{
    /// <summary>Lines one at a time and a whole conversation in one stream, so cuts fall between and inside lines.</summary>
    private static readonly IReadOnlyList<byte[]> Streams =
        [.. WellFormed.RpcLines, WellFormed.RpcLines.SelectMany(line => line).ToArray(), "\n\r\n\n"u8.ToArray()];

    /// <summary>A one-byte line becomes a one-byte array (about 32 bytes); the buffer at most doubles what it holds.</summary>
    private const int BytesPerInputByte = 32;

    [Theory]
    [Trait("Category", FuzzBudget.Category)]
    [InlineData(256, 1)]
    [InlineData(256, 13)]
    [InlineData(128, 4096)]
    [InlineData(64, 9)]
    public void Line_decoder_at_random_chunk_boundaries_must_refuse_only_with_PxpProtocolException_and_grow_with_its_input(
        int maxLine, int maxChunk) =>
        ParserFuzz.Run<PxpProtocolException>(MutatedInputs.Of(Streams), input =>
        {
            var decoder = new LineDecoder(maxLine);
            Chunked.Feed(input, maxChunk, chunk => decoder.Decode(chunk, line =>
            {
                if (line.IsEmpty || line.Length > maxLine || line.Span.Contains((byte)'\n'))
                    throw new InvalidOperationException($"decoder produced an impossible line of {line.Length} bytes");
            }));
        }, BytesPerInputByte, fixedBytes: 8 * 1024).MustReachBothPaths();
}
