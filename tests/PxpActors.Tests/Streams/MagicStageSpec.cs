using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using PxpActors.Protocol;
using PxpActors.Streams;
using PxpActors.TestSupport.Streams;
using Xunit.Abstractions;

namespace PxpActors.Tests.Streams;

public sealed class MagicStageSpec(ITestOutputHelper output) : StreamSpec(output)
{
    /// <summary>The magic layer with the transport's incoming bytes from <paramref name="fromPeer"/>; probes on the other ports.</summary>
    private (TestPublisher.Probe<ByteString> Frames, TestSubscriber.Probe<ByteString> ToPeer, TestSubscriber.Probe<ByteString> Received)
        Materialize(Source<ByteString, Akka.NotUsed> fromPeer) =>
        RunnableGraph.FromGraph(GraphDsl.Create(
            this.SourceProbe<ByteString>(), this.SinkProbe<ByteString>(), this.SinkProbe<ByteString>(),
            (frames, toPeer, received) => (frames, toPeer, received),
            (builder, frames, toPeer, received) =>
            {
                var magic = builder.Add(MagicStage.Create());
                builder.From(frames).To(magic.Inlet1);
                builder.From(magic.Outlet1).To(toPeer);
                builder.From(builder.Add(fromPeer)).To(magic.Inlet2);
                builder.From(magic.Outlet2).To(received);
                return ClosedShape.Instance;
            })).Run(Materializer);

    private static Source<ByteString, Akka.NotUsed> Bytes(params string[] chunks) =>
        Source.From(chunks.Select(c => ByteString.FromString(c)));

    [Fact]
    public Task MagicStage_must_send_the_magic_first_without_waiting_for_the_peer() => StagesStopAfter(async () =>
    {
        var (frames, toPeer, received) = Materialize(Source.Never<ByteString>());

        Assert.Equal("#PXP#", toPeer.RequestNext().ToString());
        frames.SendNext(ByteString.FromString("frame"));
        Assert.Equal("frame", toPeer.RequestNext().ToString());

        frames.SendComplete();
        toPeer.ExpectComplete();
        received.Cancel();
        await Task.CompletedTask;
    });

    [Fact]
    public Task MagicStage_must_accept_the_magic_split_anywhere_and_pass_the_rest_through() => StagesStopAfter(async () =>
    {
        for (var seed = 0; seed < 30; seed++)
        {
            var fromPeer = Bytes("#PXP#", "\u0000\u0003pxp", "more").Via(Rechunker.Create(seed, maxChunkSize: 3));
            var (frames, toPeer, received) = Materialize(fromPeer);

            received.Request(100);
            var rest = new List<byte>();
            while (received.ExpectNextOrComplete() is ByteString chunk) rest.AddRange(chunk.ToArray());
            Assert.Equal("\u0000\u0003pxpmore"u8.ToArray(), rest);

            frames.SendComplete();
            toPeer.Request(2);
            toPeer.ExpectNext();
            toPeer.ExpectComplete();
        }
        await Task.CompletedTask;
    });

    [Fact]
    public Task MagicStage_must_pass_an_element_after_the_magic_unchanged() => StagesStopAfter(async () =>
    {
        var (frames, toPeer, received) = Materialize(Bytes("#PX", "P#", "abc", "def"));

        received.Request(10);
        received.ExpectNext(ByteString.FromString("abc"), ByteString.FromString("def"));
        received.ExpectComplete();
        frames.SendComplete();
        toPeer.Request(2);
        toPeer.ExpectNext();
        toPeer.ExpectComplete();
        await Task.CompletedTask;
    });

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("#PXQ#")]
    [InlineData("#PX", "p#")]
    public Task MagicStage_must_fail_with_PxpProtocolException_on_a_bad_magic(params string[] chunks) => StagesStopAfter(async () =>
    {
        var (frames, toPeer, received) = Materialize(Bytes(chunks));

        var error = Assert.IsType<PxpProtocolException>(received.ExpectSubscriptionAndError());
        Assert.Equal("Invalid magic value, peer not using PXP", error.Message);
        frames.SendComplete();
        toPeer.Request(2);
        toPeer.ExpectNext();
        toPeer.ExpectComplete();
        await Task.CompletedTask;
    });

    [Fact]
    public Task MagicStage_must_fail_when_the_peer_closes_before_the_whole_magic() => StagesStopAfter(async () =>
    {
        var (frames, toPeer, received) = Materialize(Bytes("#PX"));

        var error = Assert.IsType<PxpProtocolException>(received.ExpectSubscriptionAndError());
        Assert.Equal("Connection closed before the PXP magic value was received", error.Message);
        frames.SendComplete();
        toPeer.Request(2);
        toPeer.ExpectNext();
        toPeer.ExpectComplete();
        await Task.CompletedTask;
    });
}
