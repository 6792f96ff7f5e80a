using System.Text;
using PxpActors.Protocol.Framing;
using PxpActors.TestSupport.Streams;

namespace PxpActors.Protocol.Tests.Framing;

public sealed class FrameDecoderTests
{
    /// <summary>Every frame type, empty and multi-byte payloads, one- and two-byte varints.</summary>
    private static readonly Frame[] Session =
    [
        new(0, FrameType.Open, "pxp"u8.ToArray()),
        new(0, FrameType.DataFromCreator, "[\"hello\",\"0\",[1,null,[\"test\"]]]\n"u8.ToArray()),
        new(1, FrameType.Open, ReadOnlyMemory<byte>.Empty),
        new(0, FrameType.DataFromReceiver, new byte[] { 1, 2, 3 }),
        new(300, FrameType.DataFromCreator, Enumerable.Range(0, 150).Select(i => (byte)i).ToArray()),
        new(1, FrameType.EndFromCreator, ReadOnlyMemory<byte>.Empty),
        new(0, FrameType.EndFromReceiver, ReadOnlyMemory<byte>.Empty),
        new(2, FrameType.ErrorFromCreator, "boom"u8.ToArray()),
        new(7, FrameType.ErrorFromReceiver, ReadOnlyMemory<byte>.Empty),
    ];

    private static readonly byte[] SessionBytes = FrameCollector.Encode(Session);

    private static readonly List<DecodedFrame> Expected = Session.Select(FrameCollector.Expected).ToList();

    [Fact]
    public void FrameDecoder_must_decode_a_buffer_holding_many_frames()
    {
        var collector = new FrameCollector().Feed(SessionBytes);

        Assert.Equal(Expected, collector.Frames);
        Assert.True(collector.Decoder.IsAtFrameBoundary);
    }

    [Fact]
    public void FrameDecoder_must_decode_bytes_fed_one_at_a_time()
    {
        var collector = new FrameCollector();
        foreach (var b in SessionBytes) collector.Feed([b]);

        Assert.Equal(Expected, collector.Frames);
    }

    [Fact]
    public void FrameDecoder_must_decode_the_same_frames_at_every_split_point()
    {
        foreach (var (head, tail) in RandomChunks.EverySplit(SessionBytes))
        {
            var collector = new FrameCollector().Feed(head).Feed(tail);
            Assert.Equal(Expected, collector.Frames);
        }
    }

    [Fact]
    public void FrameDecoder_must_decode_the_same_frames_at_random_chunkings()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var collector = new FrameCollector();
            foreach (var chunk in RandomChunks.Split(SessionBytes, new Random(seed), maxChunkSize: 1 + seed % 40))
                collector.Feed(chunk);
            Assert.Equal(Expected, collector.Frames);
        }
    }

    [Fact]
    public void FrameDecoder_must_ignore_empty_input()
    {
        var collector = new FrameCollector().Feed([]).Feed(SessionBytes.AsSpan(0, 3)).Feed([]).Feed(SessionBytes.AsSpan(3));

        Assert.Equal(Expected, collector.Frames);
    }

    [Fact]
    public void FrameDecoder_must_accept_a_frame_exactly_at_the_limit()
    {
        var frame = new Frame(1, FrameType.DataFromCreator, new byte[64]);

        var collector = new FrameCollector(maxPayload: 64).Feed(frame.ToArray());

        Assert.Equal(64, collector.Frames.Single().Payload.Length);
    }

    [Fact]
    public void FrameDecoder_must_reject_a_frame_over_the_limit_as_soon_as_its_length_is_read()
    {
        var collector = new FrameCollector(maxPayload: 64);
        // Header and length only: the 65 payload bytes never arrive, the error must not wait for them.
        var error = Assert.Throws<PxpProtocolException>(() => collector.Feed([0x0A, 65]));

        Assert.Equal("Multiplex frame of 65 bytes exceeds the limit of 64 bytes", error.Message);
    }

    [Fact]
    public void FrameDecoder_must_reject_a_huge_declared_length_without_allocating_it()
    {
        var collector = new FrameCollector(maxPayload: 1024 * 1024);
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Throws<PxpProtocolException>(() => collector.Feed([0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x07]));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024, "the declared payload was allocated");
    }

    [Theory]
    [InlineData(new byte[] { 0x07, 0x00 })]
    [InlineData(new byte[] { 0x0F })]
    [InlineData(new byte[] { 0xFF, 0x01 })]
    public void FrameDecoder_must_reject_frame_type_7_at_its_header(byte[] bytes)
    {
        var error = Assert.Throws<PxpProtocolException>(() => new FrameCollector().Feed(bytes));

        Assert.StartsWith("Invalid multiplex frame type 7", error.Message);
    }

    [Fact]
    public void FrameDecoder_must_deliver_frames_before_the_bad_one()
    {
        var good = new Frame(0, FrameType.Open, "a"u8.ToArray()).ToArray();
        var collector = new FrameCollector();

        Assert.Throws<PxpProtocolException>(() => collector.Feed([.. good, 0x07, 0x00]));

        Assert.Single(collector.Frames);
        Assert.Equal("a", Encoding.UTF8.GetString(collector.Frames[0].Payload));
    }

    [Fact]
    public void FrameDecoder_must_report_mid_frame_inside_a_payload()
    {
        var bytes = new Frame(0, FrameType.DataFromCreator, new byte[10]).ToArray();
        var collector = new FrameCollector().Feed(bytes.AsSpan(0, 5));

        Assert.False(collector.Decoder.IsAtFrameBoundary);
        collector.Feed(bytes.AsSpan(5));
        Assert.True(collector.Decoder.IsAtFrameBoundary);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void FrameDecoder_must_refuse_a_non_positive_limit(int limit) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameDecoder(limit));

    [Fact]
    public void FrameDecoder_frames_must_stay_valid_after_later_input()
    {
        var frames = new List<Frame>();
        var decoder = new FrameDecoder(1024);
        decoder.Decode(new Frame(0, FrameType.DataFromCreator, "first"u8.ToArray()).ToArray(), frames.Add);
        decoder.Decode(new Frame(0, FrameType.DataFromCreator, "later"u8.ToArray()).ToArray(), frames.Add);

        Assert.Equal("first", Encoding.UTF8.GetString(frames[0].Payload.Span));
        Assert.Equal("later", Encoding.UTF8.GetString(frames[1].Payload.Span));
    }

    [Fact]
    public void FrameDecoder_must_share_a_payload_of_a_quarter_of_its_chunk_or_more_and_copy_a_small_one()
    {
        var big = new Frame(1, FrameType.DataFromCreator, new byte[1000]);
        var small = new Frame(2, FrameType.DataFromCreator, new byte[10]);
        var chunk = FrameCollector.Encode([big, small]);
        var frames = new List<Frame>();

        new FrameDecoder(4096).Decode(chunk.AsMemory(), frames.Add);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frames[0].Payload, out var shared));
        Assert.Same(chunk, shared.Array); // 1000 of 1015 bytes: a slice, not a copy
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frames[1].Payload, out var copied));
        Assert.NotSame(chunk, copied.Array); // 10 bytes may not pin the chunk
    }

    [Fact]
    public void FrameDecoder_splitting_data_must_hand_out_each_part_as_it_arrives_as_a_slice_of_its_chunk()
    {
        var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var bytes = FrameCollector.Encode([new Frame(5, FrameType.DataFromCreator, payload), new Frame(5, FrameType.EndFromCreator, ReadOnlyMemory<byte>.Empty)]);
        var chunks = new[] { bytes[..100], bytes[100..250], bytes[250..] };
        var frames = new List<Frame>();
        var decoder = new FrameDecoder(4096, splitData: true);

        foreach (var chunk in chunks) decoder.Decode(chunk.AsMemory(), frames.Add);

        Assert.Equal([FrameType.DataFromCreator, FrameType.DataFromCreator, FrameType.DataFromCreator, FrameType.EndFromCreator],
            frames.Select(f => f.Type));
        Assert.All(frames, f => Assert.Equal(5u, f.Channel));
        Assert.Equal(payload, frames.Take(3).SelectMany(f => f.Payload.ToArray()));
        for (var i = 0; i < 3; i++)
        {
            Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(frames[i].Payload, out var part));
            Assert.Same(chunks[i], part.Array); // no copy, however small the part
        }
        Assert.True(decoder.IsAtFrameBoundary);
    }

    [Fact]
    public void FrameDecoder_splitting_data_must_still_gather_an_error_message_that_spans_chunks()
    {
        var bytes = new Frame(3, FrameType.ErrorFromCreator, "connection refused"u8.ToArray()).ToArray();
        var frames = new List<Frame>();
        var decoder = new FrameDecoder(4096, splitData: true);

        decoder.Decode(bytes.AsMemory(0, 7), frames.Add);
        Assert.Empty(frames);
        decoder.Decode(bytes.AsMemory(7), frames.Add);

        Assert.Equal("connection refused", Encoding.UTF8.GetString(Assert.Single(frames).Payload.Span));
    }
}
