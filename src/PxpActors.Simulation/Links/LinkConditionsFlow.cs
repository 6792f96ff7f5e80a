using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;

namespace PxpActors.Simulation.Links;

/// <summary>
/// A reusable stage that makes one direction of a byte link behave as <see cref="LinkConditions"/> say: latency and jitter
/// (order kept) and bandwidth. The conditions are read for every chunk, so a simulation can change them while the link runs.
/// Time is read from a <see cref="TimeProvider"/> and waits run on the stage's timers (the ActorSystem's scheduler), so a
/// virtual clock coupled to a test scheduler drives them.
/// </summary>
public static class LinkConditionsFlow
{
    /// <summary>A flow applying fixed <paramref name="conditions"/>.</summary>
    public static Flow<ByteString, ByteString, NotUsed> Create(LinkConditions conditions, TimeProvider? clock = null) =>
        Create(() => conditions, clock);

    /// <summary>A flow applying the conditions <paramref name="conditions"/> returns at each chunk.</summary>
    /// <param name="conditions">Read once per chunk; must be cheap and thread-safe.</param>
    /// <param name="clock">The clock of the delays; the system's by default.</param>
    public static Flow<ByteString, ByteString, NotUsed> Create(Func<LinkConditions> conditions, TimeProvider? clock = null) =>
        Flow.FromGraph(new ConditionsStage(conditions, clock ?? TimeProvider.System)).Named("pxpSimulatedLink");

    private sealed class ConditionsStage(Func<LinkConditions> conditions, TimeProvider clock) : GraphStage<FlowShape<ByteString, ByteString>>
    {
        private readonly Func<LinkConditions> _conditions = conditions;
        private readonly TimeProvider _clock = clock;
        private readonly Inlet<ByteString> _in = new("link.in");
        private readonly Outlet<ByteString> _out = new("link.out");

        public override FlowShape<ByteString, ByteString> Shape => new(_in, _out);

        protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

        private sealed class Logic : TimerGraphStageLogic
        {
            // Chunks wait here until their release time; a handful at most, since upstream is pulled only when room is left.
            private const int Capacity = 16;
            private readonly ConditionsStage _stage;
            private readonly Queue<(ByteString Chunk, long ReleaseAt)> _waiting = new();
            private long _lastRelease;
            private bool _timerSet;

            public Logic(ConditionsStage stage) : base(stage.Shape)
            {
                _stage = stage;
                SetHandler(stage._in, onPush: OnPush, onUpstreamFinish: () =>
                {
                    if (_waiting.Count == 0) CompleteStage();
                });
                SetHandler(stage._out, onPull: Release);
            }

            public override void PreStart() => Pull(_stage._in);

            private void OnPush()
            {
                var chunk = Grab(_stage._in);
                var conditions = _stage._conditions();
                var now = Now();
                // A chunk leaves after its delay, after the one before it, and after its own transmission time at the bandwidth.
                var release = Math.Max(now + conditions.Delay(Random.Shared.NextDouble()).Ticks, _lastRelease)
                              + conditions.TransmissionTime(chunk.Count).Ticks;
                _lastRelease = release;
                _waiting.Enqueue((chunk, (long)release));
                Release();
                if (_waiting.Count < Capacity && !HasBeenPulled(_stage._in) && !IsClosed(_stage._in)) Pull(_stage._in);
            }

            private void Release()
            {
                if (_waiting.Count == 0)
                {
                    if (IsClosed(_stage._in)) CompleteStage();
                    else if (!HasBeenPulled(_stage._in)) Pull(_stage._in);
                    return;
                }
                if (!IsAvailable(_stage._out)) return;
                var (chunk, releaseAt) = _waiting.Peek();
                var wait = releaseAt - Now();
                if (wait > 0)
                {
                    if (!_timerSet)
                    {
                        _timerSet = true;
                        ScheduleOnce("release", TimeSpan.FromTicks(wait));
                    }
                    return;
                }
                _waiting.Dequeue();
                Push(_stage._out, chunk);
                if (_waiting.Count == 0 && IsClosed(_stage._in)) CompleteStage();
                else if (!HasBeenPulled(_stage._in) && !IsClosed(_stage._in)) Pull(_stage._in);
            }

            protected override void OnTimer(object timerKey)
            {
                _timerSet = false;
                Release();
            }

            private long Now() => _stage._clock.GetUtcNow().UtcTicks;
        }
    }
}
