using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;

namespace PxpActors.Streams;

/// <summary>Splits the "pxp" substream into ndjson lines, one element per line, bounded in length.</summary>
public static class RpcLineStage
{
    public static Flow<ByteString, ByteString, NotUsed> Create(int maxLineLength) =>
        Flow.FromGraph(new Stage(maxLineLength)).Named("pxpRpcLines");

    private sealed class Stage(int maxLineLength) : GraphStage<FlowShape<ByteString, ByteString>>
    {
        private readonly Inlet<ByteString> _in = new("RpcLines.in");
        private readonly Outlet<ByteString> _out = new("RpcLines.out");

        public override FlowShape<ByteString, ByteString> Shape => new(_in, _out);

        protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this, maxLineLength);

        private sealed class Logic : GraphStageLogic
        {
            private readonly LineDecoder _decoder;
            private readonly Queue<ByteString> _lines = new();
            private readonly Action<ReadOnlyMemory<byte>> _onLine;

            public Logic(Stage stage, int maxLineLength) : base(stage.Shape)
            {
                _decoder = new LineDecoder(maxLineLength);
                _onLine = line => _lines.Enqueue(ByteString.FromBytes(line.ToArray()));
                SetHandler(stage._in, onPush: () =>
                {
                    try
                    {
                        _decoder.Decode(Grab(stage._in).ToReadOnlySpan(), _onLine);
                    }
                    catch (PxpProtocolException e)
                    {
                        FailStage(e);
                        return;
                    }
                    PushOrPull(stage);
                }, onUpstreamFinish: () =>
                {
                    if (!_decoder.IsAtLineBoundary)
                        FailStage(new PxpProtocolException("The pxp stream ended in the middle of a message"));
                    else if (_lines.Count == 0) CompleteStage();
                });
                SetHandler(stage._out, onPull: () => PushOrPull(stage));
            }

            private void PushOrPull(Stage stage)
            {
                if (_lines.Count > 0)
                {
                    if (IsAvailable(stage._out)) Push(stage._out, _lines.Dequeue());
                    if (_lines.Count == 0 && IsClosed(stage._in)) CompleteStage();
                }
                else if (!HasBeenPulled(stage._in) && !IsClosed(stage._in))
                {
                    Pull(stage._in);
                }
            }
        }
    }
}
