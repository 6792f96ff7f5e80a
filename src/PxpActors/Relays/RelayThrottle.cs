using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;

namespace PxpActors.Relays;

/// <summary>
/// One direction of a relay, limited to a byte rate (the reference's default is 50,000 bytes/s) on a clock: its tokens
/// are read on a <see cref="TimeProvider"/> (<see cref="RelayTokens"/>) and waited for on the stage's timers (the Akka
/// scheduler), so that under a test scheduler the rate holds in virtual time. Chunks are cut to at most a tenth of a
/// second's worth, so the limit shapes smoothly; what fits in the tokens there passes at once (a relayed session's small
/// signaling messages are not held back).
/// </summary>
public static class RelayThrottle
{
    /// <summary>One direction of a relay through this node as the hub, on the node's clock; what passed counted in <c>pxp.relay.bytes</c>.</summary>
    internal static Flow<ByteString, ByteString, NotUsed> Create(int bytesPerSecond, bool toCandidate, TimeProvider time) =>
        Create(bytesPerSecond, time).Select(piece =>
        {
            Diagnostics.RelayTraffic.Relayed(piece.Count, toCandidate); // a piece is at most a tenth of a second's worth
            return piece;
        });

    /// <summary>A flow that passes at most <paramref name="bytesPerSecond"/> bytes per second of real time (0 or less: everything at once).</summary>
    public static Flow<ByteString, ByteString, NotUsed> Create(int bytesPerSecond) => Create(bytesPerSecond, TimeProvider.System);

    /// <summary>
    /// A flow that passes at most <paramref name="bytesPerSecond"/> bytes per second of <paramref name="time"/>'s clock (0 or
    /// less: everything at once). Its waits are the materializer's scheduler's: give both the same time.
    /// </summary>
    public static Flow<ByteString, ByteString, NotUsed> Create(int bytesPerSecond, TimeProvider time) =>
        bytesPerSecond <= 0
            ? Flow.Create<ByteString>()
            : Flow.FromGraph(new Stage(bytesPerSecond, time)).Named("pxpRelayThrottle");

    private sealed class Stage(int bytesPerSecond, TimeProvider time) : GraphStage<FlowShape<ByteString, ByteString>>
    {
        private readonly Inlet<ByteString> _in = new("RelayThrottle.in");
        private readonly Outlet<ByteString> _out = new("RelayThrottle.out");

        public override FlowShape<ByteString, ByteString> Shape => new(_in, _out);

        protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) =>
            new Logic(this, new RelayTokens(bytesPerSecond, time));

        private sealed class Logic : TimerGraphStageLogic, IInHandler, IOutHandler
        {
            private readonly Stage _stage;
            private readonly RelayTokens _tokens;
            // Taken from upstream, not yet all pushed.
            private ByteString? _pending;
            private bool _waiting;

            public Logic(Stage stage, RelayTokens tokens) : base(stage.Shape)
            {
                _stage = stage;
                _tokens = tokens;
                SetHandler(stage._in, this);
                SetHandler(stage._out, this);
            }

            public void OnPush()
            {
                _pending = Grab(_stage._in);
                TryPush();
            }

            public void OnUpstreamFinish()
            {
                if (_pending is null) CompleteStage(); // else once the last piece has gone
            }

            public void OnUpstreamFailure(Exception e) => FailStage(e);

            public void OnPull() => TryPush();

            public void OnDownstreamFinish(Exception cause) => CompleteStage();

            protected override void OnTimer(object timerKey)
            {
                _waiting = false;
                TryPush();
            }

            private void TryPush()
            {
                if (_pending is not { } pending)
                {
                    if (IsClosed(_stage._in)) CompleteStage();
                    else if (!HasBeenPulled(_stage._in)) Pull(_stage._in);
                    return;
                }
                if (_waiting || !IsAvailable(_stage._out)) return;
                var size = Math.Min(_tokens.Piece, pending.Count);
                var wait = _tokens.TryTake(size);
                if (wait > TimeSpan.Zero)
                {
                    _waiting = true;
                    ScheduleOnce(nameof(RelayTokens), wait);
                    return;
                }
                var whole = size == pending.Count;
                _pending = whole ? null : pending.Slice(size);
                Push(_stage._out, whole ? pending : pending.Slice(0, size));
                if (_pending is null)
                {
                    if (IsClosed(_stage._in)) CompleteStage();
                    else Pull(_stage._in); // the next chunk waits here by the time downstream asks
                }
            }
        }
    }
}
