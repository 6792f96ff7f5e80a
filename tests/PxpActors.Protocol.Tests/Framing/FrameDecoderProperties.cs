using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PxpActors.Protocol.Framing;
using PxpActors.TestSupport.Streams;

namespace PxpActors.Protocol.Tests.Framing;

public sealed class FrameDecoderProperties
{
    private static readonly Gen<Frame> FrameGen =
        from channel in Gen.Frequency((4, Gen.Choose(0, 20).Select(c => (uint)c)),
            (1, Gen.Choose(0, int.MaxValue).Select(c => (uint)c & Frame.MaxChannel)))
        from type in Gen.Choose(0, 6).Select(t => (FrameType)t)
        from payload in Gen.Frequency((3, Gen.Choose(0, 20)), (1, Gen.Choose(100, 600)))
            .SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))
        select new Frame(channel, type, payload);

    private static Arbitrary<Frame[]> Frames => Arb.From(Gen.ArrayOf(FrameGen));

    [Property(MaxTest = 300)]
    public Property Frames_encoded_then_decoded_at_any_chunking_must_be_the_same_frames() =>
        Prop.ForAll(Frames, Arb.From(Gen.Choose(0, int.MaxValue)), (frames, seed) =>
        {
            var bytes = FrameCollector.Encode(frames);
            var collector = new FrameCollector();
            foreach (var chunk in RandomChunks.Split(bytes, new Random(seed), 1 + seed % 64)) collector.Feed(chunk);

            Assert.Equal(frames.Select(FrameCollector.Expected), collector.Frames);
            Assert.True(collector.Decoder.IsAtFrameBoundary);
        });

    [Property(MaxTest = 300)]
    public Property Frames_decoded_from_shared_chunks_must_be_the_same_as_from_copied_ones() =>
        Prop.ForAll(Frames, Arb.From(Gen.Choose(0, int.MaxValue)), (frames, seed) =>
        {
            var bytes = FrameCollector.Encode(frames);
            var collector = new FrameCollector();
            foreach (var chunk in RandomChunks.Split(bytes, new Random(seed), 1 + seed % 700)) collector.FeedShared(chunk.ToArray());

            Assert.Equal(frames.Select(FrameCollector.Expected), collector.Frames);
            Assert.True(collector.Decoder.IsAtFrameBoundary);
        });

    [Property(MaxTest = 300)]
    public Property Split_data_joined_again_must_be_the_frames_sent_at_any_chunking() =>
        Prop.ForAll(Frames, Arb.From(Gen.Choose(0, int.MaxValue)), (frames, seed) =>
        {
            var bytes = FrameCollector.Encode(frames);
            var collector = new FrameCollector(splitData: true);
            var chunks = RandomChunks.Split(bytes, new Random(seed), 1 + seed % 700);
            // Both overloads: slices of shared chunks, and copies of spans.
            foreach (var chunk in chunks)
            {
                if (seed % 2 == 0) collector.FeedShared(chunk.ToArray());
                else collector.Feed(chunk);
            }

            Assert.Equal(FrameCollector.JoinData(frames.Select(FrameCollector.Expected)), FrameCollector.JoinData(collector.Frames));
            Assert.True(collector.Decoder.IsAtFrameBoundary);
        });
}
