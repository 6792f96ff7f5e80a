using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PxpActors.Protocol.Framing;
using PxpActors.TestSupport.Streams;

namespace PxpActors.Protocol.Tests.Framing;

public sealed class LineDecoderProperties
{
    private static readonly Gen<string> LineGen = Gen.Choose(1, 40).SelectMany(n =>
        Gen.ArrayOf(Gen.Elements('a', 'é', '"', '\r', ' ', '☃', '[', '\\'), n)).Select(chars => new string(chars));

    [Property(MaxTest = 300)]
    public Property Lines_at_any_chunking_must_come_out_whole_without_CR_and_empties() =>
        Prop.ForAll(Arb.From(Gen.ArrayOf(LineGen)), Arb.From(Gen.Choose(0, int.MaxValue)), (lines, seed) =>
        {
            var bytes = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
            var decoder = new LineDecoder(1024);
            var decoded = new List<string>();
            foreach (var chunk in RandomChunks.Split(bytes, new Random(seed), 1 + seed % 32))
                decoder.Decode(chunk, line => decoded.Add(Encoding.UTF8.GetString(line.Span)));

            var expected = lines.Select(l => l.EndsWith('\r') ? l[..^1] : l).Where(l => l.Length > 0);
            Assert.Equal(expected, decoded);
            Assert.True(decoder.IsAtLineBoundary);
        });
}
