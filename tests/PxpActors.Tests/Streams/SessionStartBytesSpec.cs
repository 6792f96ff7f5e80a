using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.TestKit;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;
using PxpActors.Streams;
using PxpActors.Streams.Multiplexer;
using Xunit.Abstractions;

namespace PxpActors.Tests.Streams;

/// <summary>The stages composed as a session uses them write the bytes the reference writes at session start.</summary>
public sealed class SessionStartBytesSpec(ITestOutputHelper output) : StreamSpec(output)
{
    [Fact]
    public Task Magic_multiplexer_and_codec_must_write_the_references_session_start() => StagesStopAfter(async () =>
    {
        var (mux, toPeer, fromPeer) = RunnableGraph.FromGraph(GraphDsl.Create(
            Flow.FromGraph(new MultiplexerStage(MultiplexerSettings.Default)), this.SinkProbe<ByteString>(), this.SourceProbe<ByteString>(),
            (m, sink, source) => (m, sink, source),
            (builder, multiplexer, sink, source) =>
            {
                var magic = builder.Add(MagicStage.Create());
                builder.From(multiplexer.Outlet).To(magic.Inlet1);
                builder.From(magic.Outlet1).To(sink);
                builder.From(source).To(magic.Inlet2);
                builder.From(magic.Outlet2).To(multiplexer.Inlet);
                return ClosedShape.Instance;
            })).Run(Materializer);

        var pxp = await mux.OpenAsync("pxp").WaitAsync(TimeSpan.FromSeconds(3));
        var hello = new Hello(Nonce.Format(0), Hello.CurrentVersion, ConnectInfo.Accepting, ["test"]);
        Source.Single(ByteString.FromBytes(RpcCodec.Encode(hello))).Concat(Source.Never<ByteString>()).RunWith(pxp.Outgoing, Materializer);
        _ = pxp.Incoming.RunWith(Sink.Ignore<ByteString>(), Materializer);

        toPeer.Request(3);
        var written = toPeer.ExpectNextN(3).Select(e => e.ToArray()).ToList();

        // Observed from the reference (PROTOCOL.md section 6), one transport write per element.
        Assert.Equal("#PXP#"u8.ToArray(), written[0]);
        Assert.Equal([0x00, 0x03, .. "pxp"u8], written[1]);
        Assert.Equal([0x02, 0x43, .. "[\"hello\",\"0\",[1,{\"pxp\":true,\"relay\":true,\"webrtc\":true},[\"test\"]]]\n"u8], written[2]);

        mux.Abort(new OperationCanceledException("test over"));
        fromPeer.ExpectCancellation();
    });
}
