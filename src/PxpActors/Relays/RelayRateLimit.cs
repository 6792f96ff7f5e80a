using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;

namespace PxpActors.Relays;

/// <summary>
/// One direction of a relay through this node as the hub, held to pxp.relay-rate bytes per second on the node's clock:
/// a token bucket read on the injected <see cref="TimeProvider"/> and waited on with the stage's timers (the Akka
/// scheduler), so that under a test scheduler the rate holds in virtual time. Akka's own Throttle reads the wall clock
/// for its tokens and could not. Chunks are cut to at most a tenth of a second's worth, which is also the burst, so the
/// limit shapes smoothly; what passed is counted in <c>pxp.relay.bytes</c>.
/// </summary>
internal static class RelayRateLimit
{
    /// <summary>A rate of 0 or less passes everything at once, still counted.</summary>
    public static Flow<ByteString, ByteString, NotUsed> Create(int bytesPerSecond, bool toCandidate, TimeProvider time)
    {
        var limited = bytesPerSecond <= 0 ? Flow.Create<ByteString>() : Flow.FromGraph(new Stage(bytesPerSecond, time));
        return limited.Select(piece =>
        {
            Diagnostics.RelayTraffic.Relayed(piece.Count, toCandidate); // a piece is at most a tenth of a second's worth
            return piece;
        }).Named("pxpRelayRateLimit");
    }

    private sealed class Stage(int bytesPerSecond, TimeProvider time) : GraphStage<FlowShape<ByteString, ByteString>>
    {
        private readonly Inlet<ByteString> _in = new("RelayRateLimit.in");
        private readonly Outlet<ByteString> _out = new("RelayRateLimit.out");

        public override FlowShape<ByteString, ByteString> Shape => new(_in, _out);

        protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this, bytesPerSecond, time);

        private sealed class Logic : TimerGraphStageLogic
        {
            private const string RefillTimer = "refill";
            private readonly Stage _stage;
            private readonly int _rate;
            private readonly TimeProvider _time;
            private readonly int _piece;
            private double _tokens;
            private long _refilled;
            private ByteString? _pending;
            private bool _waiting;

            public Logic(Stage stage, int rate, TimeProvider time) : base(stage.Shape)
            {
                _stage = stage;
                _rate = rate;
                _time = time;
                _piece = Math.Max(1, rate / 10);
                _tokens = _piece; // the burst is there from the start
                _refilled = time.GetTimestamp();
                SetHandler(stage._in, onPush: () =>
                {
                    _pending = Grab(stage._in);
                    TryEmit();
                }, onUpstreamFinish: () =>
                {
                    if (_pending is null) CompleteStage(); // otherwise once the last piece has gone
                });
                SetHandler(stage._out, onPull: TryEmit);
            }

            protected override void OnTimer(object timerKey)
            {
                _waiting = false;
                TryEmit();
            }

            private void TryEmit()
            {
                if (_pending is not { } pending)
                {
                    if (IsClosed(_stage._in)) CompleteStage();
                    else if (!HasBeenPulled(_stage._in)) Pull(_stage._in);
                    return;
                }
                if (_waiting || !IsAvailable(_stage._out)) return;
                var size = Math.Min(_piece, pending.Count);
                Refill();
                if (_tokens < size)
                {
                    // Wait exactly for the tokens missing (at least a tick: a zero wait would spin without time passing).
                    var ticks = Math.Max(1L, (long)Math.Ceiling((size - _tokens) * TimeSpan.TicksPerSecond / _rate));
                    _waiting = true;
                    ScheduleOnce(RefillTimer, TimeSpan.FromTicks(ticks));
                    return;
                }
                _tokens -= size;
                _pending = size == pending.Count ? null : pending.Slice(size);
                Push(_stage._out, size == pending.Count ? pending : pending.Slice(0, size));
                if (_pending is null && IsClosed(_stage._in)) CompleteStage();
            }

            private void Refill()
            {
                var now = _time.GetTimestamp();
                _tokens = Math.Min(_piece, _tokens + _time.GetElapsedTime(_refilled, now).TotalSeconds * _rate);
                _refilled = now;
            }
        }
    }
}
