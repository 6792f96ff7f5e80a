using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;

namespace PxpActors.TestSupport.Streams;

/// <summary>
/// A flow that passes the same bytes through but re-cuts them at random boundaries: elements are split,
/// and neighbours merged, so a stage under test sees frames, lines and magic split at every kind of
/// boundary. Seeded, so a failing run can be replayed. Holds at most one element plus
/// <c>maxChunkSize</c> bytes.
/// </summary>
public static class Rechunker
{
    public static Flow<ByteString, ByteString, NotUsed> Create(int seed, int maxChunkSize = 16) =>
        Flow.FromGraph(new Stage(seed, maxChunkSize)).Named("rechunker");

    private sealed class Stage : GraphStage<FlowShape<ByteString, ByteString>>
    {
        private readonly Inlet<ByteString> _in = new("Rechunker.in");
        private readonly Outlet<ByteString> _out = new("Rechunker.out");
        private readonly int _seed;
        private readonly int _maxChunkSize;

        public Stage(int seed, int maxChunkSize)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkSize, 1);
            _seed = seed;
            _maxChunkSize = maxChunkSize;
            Shape = new FlowShape<ByteString, ByteString>(_in, _out);
        }

        public override FlowShape<ByteString, ByteString> Shape { get; }

        protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

        private sealed class Logic : GraphStageLogic
        {
            private readonly Stage _stage;
            // One Random per materialization: the same seed gives the same cuts on every run.
            private readonly Random _random;
            private ByteString _buffer = ByteString.Empty;

            public Logic(Stage stage) : base(stage.Shape)
            {
                _stage = stage;
                _random = new Random(stage._seed);
                SetHandler(stage._in, onPush: () =>
                {
                    _buffer += Grab(stage._in);
                    Pump();
                }, onUpstreamFinish: Pump);
                SetHandler(stage._out, onPull: Pump);
            }

            /// <summary>
            /// Hands out a random-sized piece of what is buffered whenever asked, and reads ahead while the
            /// buffer is short, so neighbouring elements merge. Never withholds bytes a reader is waiting
            /// for: a protocol that waits for a reply before writing more must not stall here.
            /// </summary>
            private void Pump()
            {
                if (IsAvailable(_stage._out) && !_buffer.IsEmpty)
                {
                    var size = _random.Next(1, Math.Min(_stage._maxChunkSize, _buffer.Count) + 1);
                    Push(_stage._out, _buffer.Slice(0, size).Compact());
                    _buffer = _buffer.Slice(size).Compact();
                }
                if (IsClosed(_stage._in))
                {
                    if (_buffer.IsEmpty) CompleteStage();
                }
                else if (!HasBeenPulled(_stage._in) && _buffer.Count < _stage._maxChunkSize)
                {
                    Pull(_stage._in);
                }
            }
        }
    }
}
