using PxpActors.Protocol.Framing;
using PxpActors.TestSupport.Fuzzing;

namespace PxpActors.Protocol.Tests.Fuzzing;

/// <summary>
/// Multiplex frames from a hostile peer, whole and at every chunking, gathered and split, with the default and a
/// small payload limit: only <see cref="PxpProtocolException"/> escapes, no frame breaks the limit, and the decoder
/// never holds more than the bytes it was given (a length field alone must not make it allocate).
/// </summary>
public sealed class FrameDecoderFuzz
{
    /// <summary>Per input byte: a 1-byte chunk of split data becomes a 1-byte array (about 32 bytes with its header).</summary>
    private const int BytesPerInputByte = 64;

    /// <summary>Per parse: the decoder, its exception and message; far below any payload a length field could claim.</summary>
    private const long FixedBytes = 8 * 1024;

    private static readonly Func<Random, byte[]> Inputs = MutatedInputs.Of(WellFormed.FrameStreams);

    [Theory]
    [Trait("Category", FuzzBudget.Category)]
    [InlineData(1024 * 1024)]
    [InlineData(64)]
    public void Frame_decoder_fed_whole_inputs_must_refuse_only_with_PxpProtocolException_and_allocate_within_its_input(int maxPayload) =>
        ParserFuzz.Run<PxpProtocolException>(Inputs, input =>
        {
            var decoder = new FrameDecoder(maxPayload);
            decoder.Decode(input, frame => CheckFrame(frame, maxPayload));
        }, BytesPerInputByte, FixedBytes).MustReachBothPaths();

    [Theory]
    [Trait("Category", FuzzBudget.Category)]
    [InlineData(1024 * 1024, 1)]
    [InlineData(1024 * 1024, 7)]
    [InlineData(256, 64)]
    public void Frame_decoder_fed_at_random_chunk_boundaries_must_refuse_only_with_PxpProtocolException_and_allocate_within_its_input(
        int maxPayload, int maxChunk) =>
        ParserFuzz.Run<PxpProtocolException>(Inputs, input =>
        {
            var decoder = new FrameDecoder(maxPayload);
            Chunked.Feed(input, maxChunk, chunk => decoder.Decode(chunk, frame => CheckFrame(frame, maxPayload)));
        }, BytesPerInputByte, FixedBytes).MustReachBothPaths();

    [Theory]
    [Trait("Category", FuzzBudget.Category)]
    [InlineData(1024 * 1024, 5)]
    [InlineData(300, 200)]
    public void Frame_decoder_splitting_data_from_shared_chunks_must_refuse_only_with_PxpProtocolException_and_allocate_within_its_input(
        int maxPayload, int maxChunk) =>
        ParserFuzz.Run<PxpProtocolException>(Inputs, input =>
        {
            var decoder = new FrameDecoder(maxPayload, splitData: true);
            Chunked.Feed(input.AsMemory(), maxChunk, chunk => decoder.Decode(chunk, frame => CheckFrame(frame, maxPayload)));
        }, BytesPerInputByte, FixedBytes).MustReachBothPaths();

    [Fact]
    public void Frame_decoder_must_not_allocate_the_payload_a_length_field_claims_before_its_bytes_arrive()
    {
        // Header of a data frame on channel 0, then a length of 1,000,000 (under the 1 MiB limit) and no payload.
        byte[] claim = [0x02, .. VarintBytes(1_000_000)];
        var decoder = new FrameDecoder(1024 * 1024);

        var before = GC.GetAllocatedBytesForCurrentThread();
        decoder.Decode(claim, _ => Assert.Fail("no frame is complete"));
        decoder.Decode(new byte[100], _ => Assert.Fail("no frame is complete"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 8 * 1024, $"{claim.Length + 100} bytes of input made the decoder allocate {allocated} bytes");
    }

    [Fact]
    public void Frame_decoder_must_still_gather_a_large_payload_that_arrives_in_small_pieces()
    {
        var payload = new byte[100_000];
        new Random(7).NextBytes(payload);
        var bytes = new Frame(5, FrameType.ErrorFromCreator, payload).ToArray();
        var decoder = new FrameDecoder(1024 * 1024);
        var frames = new List<Frame>();

        Chunked.Feed(bytes, 1500, chunk => decoder.Decode(chunk, frame => frames.Add(frame with { Payload = frame.Payload.ToArray() })));

        var frame = Assert.Single(frames);
        Assert.Equal((5u, FrameType.ErrorFromCreator), (frame.Channel, frame.Type));
        Assert.Equal(payload, frame.Payload.ToArray());
        Assert.True(decoder.IsAtFrameBoundary);
    }

    private static void CheckFrame(Frame frame, int maxPayload)
    {
        if (frame.Payload.Length > maxPayload || (int)frame.Type > 6 || frame.Channel > Frame.MaxChannel)
            throw new InvalidOperationException($"decoder produced an impossible frame: channel {frame.Channel}, type {frame.Type}, {frame.Payload.Length} bytes");
    }

    private static byte[] VarintBytes(uint value)
    {
        var bytes = new byte[Varint.SizeOf(value)];
        Varint.Write(value, bytes);
        return bytes;
    }
}
