using System.Text;
using PxpActors.Protocol.Framing;
using PxpActors.TestSupport.Streams;

namespace PxpActors.Protocol.Tests.Framing;

public sealed class LineDecoderTests
{
    private static List<string> Decode(LineDecoder decoder, params byte[][] chunks)
    {
        var lines = new List<string>();
        foreach (var chunk in chunks) decoder.Decode(chunk, line => lines.Add(Encoding.UTF8.GetString(line.Span)));
        return lines;
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void LineDecoder_must_split_at_newlines_and_keep_the_unfinished_rest()
    {
        var decoder = new LineDecoder(1024);

        var lines = Decode(decoder, Utf8("[\"a\"]\n[\"b\"]\n[\"c"));

        Assert.Equal(["[\"a\"]", "[\"b\"]"], lines);
        Assert.False(decoder.IsAtLineBoundary);
        Assert.Equal(["[\"c\"]"], Decode(decoder, Utf8("\"]\n")));
        Assert.True(decoder.IsAtLineBoundary);
    }

    [Fact]
    public void LineDecoder_must_give_the_same_lines_at_every_split_point_and_random_chunking()
    {
        var text = Utf8("first\r\n\nsecond é ☃ 🎉\n\r\nthird\n" + new string('x', 300) + "\n");
        string[] expected = ["first", "second é ☃ 🎉", "third", new string('x', 300)];

        foreach (var (head, tail) in RandomChunks.EverySplit(text))
            Assert.Equal(expected, Decode(new LineDecoder(1024), head, tail));
        for (var seed = 0; seed < 100; seed++)
            Assert.Equal(expected, Decode(new LineDecoder(1024), [.. RandomChunks.Split(text, new Random(seed), 1 + seed % 20)]));
        Assert.Equal(expected, Decode(new LineDecoder(1024), [.. text.Select(b => new[] { b })]));
    }

    [Fact]
    public void LineDecoder_must_strip_one_trailing_CR_only()
    {
        var lines = Decode(new LineDecoder(64), Utf8("a\r\nb\r\r\nc\rd\n"));

        Assert.Equal(["a", "b\r", "c\rd"], lines);
    }

    [Fact]
    public void LineDecoder_must_skip_empty_lines_including_a_lone_CR()
    {
        var lines = Decode(new LineDecoder(64), Utf8("\n\n\r\na\n\n"));

        Assert.Equal(["a"], lines);
    }

    [Fact]
    public void LineDecoder_must_accept_a_line_exactly_at_the_limit()
    {
        var lines = Decode(new LineDecoder(10), Utf8("0123456789\n"));

        Assert.Equal(["0123456789"], lines);
    }

    [Fact]
    public void LineDecoder_must_reject_an_over_long_line_before_its_newline_arrives()
    {
        var decoder = new LineDecoder(10);
        Decode(decoder, Utf8("012345"));

        var error = Assert.Throws<PxpProtocolException>(() => Decode(decoder, Utf8("6789A")));

        Assert.Equal("PXP message longer than the limit of 10 bytes", error.Message);
    }

    [Fact]
    public void LineDecoder_must_count_the_limit_per_line_not_per_chunk()
    {
        var decoder = new LineDecoder(10);

        var lines = Decode(decoder, Utf8("0123456789\n0123456789\n0123456789\n"));

        Assert.Equal(3, lines.Count);
    }

    [Fact]
    public void LineDecoder_must_grow_its_buffer_lazily_not_to_the_limit()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var decoder = new LineDecoder(64 * 1024 * 1024);
        var lines = Decode(decoder, Utf8("[\"short\"]\n"), Utf8("[\"par"), Utf8("tial\"]\n"));

        Assert.Equal(["[\"short\"]", "[\"partial\"]"], lines);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024,
            "a 64 MiB limit must not mean a 64 MiB buffer");
    }

    [Fact]
    public void LineDecoder_must_hand_out_lines_that_survive_later_input()
    {
        var decoder = new LineDecoder(64);
        var kept = new List<ReadOnlyMemory<byte>>();

        decoder.Decode(Utf8("one\n"), kept.Add);
        decoder.Decode(Utf8("two\n"), kept.Add);

        Assert.Equal(["one", "two"], kept.Select(l => Encoding.UTF8.GetString(l.Span)));
    }
}
