using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using PxpActors.Protocol;

namespace PxpActors.Streams;

/// <summary>
/// The "#PXP#" handshake as a bidi layer: outbound it sends the magic first, without waiting for the
/// peer; inbound it checks the peer's first five bytes and passes the rest through.
/// </summary>
public static class MagicStage
{
    /// <summary>Top: multiplex frames. Bottom: transport bytes.</summary>
    public static BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> Create() =>
        BidiFlow.FromFlows(
            Flow.Create<ByteString>().Prepend(Source.Single(ByteString.CopyFrom(PxpMagic.Bytes.ToArray()))),
            Flow.FromGraph(new Check()));

    private sealed class Check : GraphStage<FlowShape<ByteString, ByteString>>
    {
        private readonly Inlet<ByteString> _in = new("MagicCheck.in");
        private readonly Outlet<ByteString> _out = new("MagicCheck.out");

        public Check() => Shape = new FlowShape<ByteString, ByteString>(_in, _out);

        public override FlowShape<ByteString, ByteString> Shape { get; }

        protected override Attributes InitialAttributes { get; } = Attributes.CreateName("pxpMagicCheck");

        protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

        private sealed class Logic : GraphStageLogic
        {
            private readonly MagicMatcher _matcher = new();

            public Logic(Check stage) : base(stage.Shape)
            {
                SetHandler(stage._in, onPush: () =>
                {
                    var chunk = Grab(stage._in);
                    if (_matcher.IsComplete)
                    {
                        Push(stage._out, chunk);
                        return;
                    }
                    int taken;
                    try
                    {
                        taken = _matcher.Consume(chunk.ToReadOnlySpan());
                    }
                    catch (PxpProtocolException e)
                    {
                        FailStage(e);
                        return;
                    }
                    if (taken < chunk.Count) Push(stage._out, chunk.Slice(taken));
                    else Pull(stage._in);
                }, onUpstreamFinish: () =>
                {
                    if (!_matcher.IsComplete)
                        FailStage(new PxpProtocolException("Connection closed before the PXP magic value was received"));
                    else CompleteStage();
                });
                SetHandler(stage._out, onPull: () => Pull(stage._in));
            }
        }
    }
}
