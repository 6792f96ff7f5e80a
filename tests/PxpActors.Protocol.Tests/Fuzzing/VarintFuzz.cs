using PxpActors.Protocol.Framing;
using PxpActors.TestSupport.Fuzzing;

namespace PxpActors.Protocol.Tests.Fuzzing;

/// <summary>
/// The varints of frame headers and lengths, read by <see cref="FrameDecoder"/> and written by <see cref="Varint"/>:
/// damaged varints (over-long, non-minimal, past 32 bits, cut short) are read as the value they spell or refused,
/// and whatever is read, written again, reads back the same.
/// </summary>
public sealed class VarintFuzz
{
    /// <summary>Empty frames whose headers and lengths take every varint size, including non-minimal spellings.</summary>
    private static readonly IReadOnlyList<byte[]> HeaderRuns =
    [
        [0x00, 0x00],
        [0x80, 0x00, 0x00],                         // header 0 spelled in two bytes
        [0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x00],      // channel MaxChannel, type 6
        [0x82, 0x80, 0x80, 0x80, 0x00, 0x80, 0x00], // both varints non-minimal
        [.. Header(Frame.MaxChannel, FrameType.EndFromCreator), 0x00, .. Header(1234, FrameType.Open), 0x00],
    ];

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Varints_read_by_the_frame_decoder_must_be_refused_or_read_back_the_same_once_written_again() =>
        ParserFuzz.Run<PxpProtocolException>(MutatedInputs.Of(HeaderRuns), input =>
        {
            var decoder = new FrameDecoder(16);
            decoder.Decode(input, frame =>
            {
                var again = new FrameDecoder(16);
                var same = false;
                again.Decode(frame.ToArray(), copy => same = copy.Channel == frame.Channel && copy.Type == frame.Type
                    && copy.Payload.Span.SequenceEqual(frame.Payload.Span));
                if (!same) throw new InvalidOperationException($"channel {frame.Channel} type {frame.Type} did not survive being written again");
            });
        }, bytesPerInputByte: 64, fixedBytes: 8 * 1024).MustReachBothPaths();

    [Fact]
    [Trait("Category", FuzzBudget.Category)]
    public void Varint_size_and_bytes_written_must_agree_for_any_value()
    {
        var random = new Random(FuzzBudget.Seed);
        Span<byte> buffer = stackalloc byte[Varint.MaxLength];
        for (var i = 0; i < FuzzBudget.Iterations; i++)
        {
            // Every bit length equally often, not mostly 32-bit values.
            var value = (uint)random.NextInt64(0, 1L << random.Next(33));
            var written = Varint.Write(value, buffer);
            Assert.Equal(Varint.SizeOf(value), written);
            Assert.Equal(0, buffer[written - 1] & 0x80);
            uint read = 0;
            for (var b = 0; b < written; b++) read |= (uint)(buffer[b] & 0x7F) << (7 * b);
            Assert.Equal(value, read);
        }
    }

    private static byte[] Header(uint channel, FrameType type)
    {
        var bytes = new byte[Varint.MaxLength];
        return bytes[..Varint.Write(channel << 3 | (uint)type, bytes)];
    }
}
