using System.Text;
using Akka.IO;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using PxpActors.Protocol;
using PxpActors.Streams;
using PxpActors.TestSupport.Streams;
using Xunit.Abstractions;

namespace PxpActors.Tests.Streams;

public sealed class RpcLineStageSpec(ITestOutputHelper output) : StreamSpec(output)
{
    private static readonly string[] Lines =
    [
        "[\"hello\",\"0\",[1,{\"pxp\":true,\"relay\":true,\"webrtc\":true},[\"test\"]]]",
        "[\"getpeers\",\"1\",\"test\"]",
        "[\"res\",\"1\",[null,[]]]",
        "[\"connect\",\"2\",\"é ☃ 🎉\"]",
    ];

    [Fact]
    public Task RpcLineStage_must_split_lines_at_any_chunking() => StagesStopAfter(async () =>
    {
        var bytes = ByteString.FromString(string.Concat(Lines.Select(l => l + "\n")));
        for (var seed = 0; seed < 30; seed++)
        {
            var lines = await Source.Single(bytes)
                .Via(Rechunker.Create(seed, maxChunkSize: 1 + seed % 12))
                .Via(RpcLineStage.Create(1024))
                .Select(line => line.ToString(Encoding.UTF8))
                .RunWith(Sink.Seq<string>(), Materializer);
            Assert.Equal(Lines, lines);
        }
    });

    [Fact]
    public Task RpcLineStage_must_emit_one_line_per_demand() => StagesStopAfter(async () =>
    {
        var (input, output) = this.SourceProbe<ByteString>()
            .Via(RpcLineStage.Create(1024))
            .ToMaterialized(this.SinkProbe<ByteString>(), Keep.Both)
            .Run(Materializer);

        output.Request(1);
        input.SendNext(ByteString.FromString("a\nb\r\n\nc\n"));
        Assert.Equal("a", output.ExpectNext().ToString());
        output.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        output.Request(5);
        output.ExpectNext(ByteString.FromString("b"), ByteString.FromString("c"));
        input.SendComplete();
        output.ExpectComplete();
        await Task.CompletedTask;
    });

    [Fact]
    public Task RpcLineStage_must_emit_buffered_lines_before_completing() => StagesStopAfter(async () =>
    {
        var (input, output) = this.SourceProbe<ByteString>()
            .Via(RpcLineStage.Create(1024))
            .ToMaterialized(this.SinkProbe<ByteString>(), Keep.Both)
            .Run(Materializer);

        output.Request(1);
        input.SendNext(ByteString.FromString("one\ntwo\nthree\n"));
        output.ExpectNext(ByteString.FromString("one"));
        input.SendComplete();
        output.Request(5);
        output.ExpectNext(ByteString.FromString("two"), ByteString.FromString("three"));
        output.ExpectComplete();
        await Task.CompletedTask;
    });

    [Fact]
    public Task RpcLineStage_must_fail_on_an_over_long_line_at_any_chunking() => StagesStopAfter(async () =>
    {
        for (var seed = 0; seed < 10; seed++)
        {
            var run = Source.Single(ByteString.FromString("short\n" + new string('x', 65) + "\n"))
                .Via(Rechunker.Create(seed, maxChunkSize: 10))
                .Via(RpcLineStage.Create(64))
                .RunWith(Sink.Seq<ByteString>(), Materializer);
            var error = await Assert.ThrowsAsync<PxpProtocolException>(() => run);
            Assert.Equal("PXP message longer than the limit of 64 bytes", error.Message);
        }
    });

    [Fact]
    public Task RpcLineStage_must_fail_when_the_stream_ends_mid_line() => StagesStopAfter(async () =>
    {
        var run = Source.Single(ByteString.FromString("[\"ok\"]\n[\"cut"))
            .Via(RpcLineStage.Create(64))
            .RunWith(Sink.Seq<ByteString>(), Materializer);

        var error = await Assert.ThrowsAsync<PxpProtocolException>(() => run);
        Assert.Equal("The pxp stream ended in the middle of a message", error.Message);
    });
}
