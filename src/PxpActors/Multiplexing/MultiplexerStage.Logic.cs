using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using PxpActors.Carriers;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using PxpActors.Resources;

namespace PxpActors.Multiplexing;

public sealed partial class MultiplexerStage
{
    // The logic is its own port handler: handler lambdas would cost a few hundred bytes per session. Its parts: this
    // file (ports, calls from outside, stopping), MultiplexerStage.Receiving.cs and MultiplexerStage.Sending.cs.
    private sealed partial class Logic : InAndOutGraphStageLogic
    {
        private readonly MultiplexerStage _stage;
        private readonly MultiplexerHandle _handle;
        private readonly SharedFrameWriter? _directSender;
        private readonly ReceivedChunks _chunks;
        private readonly MultiplexerSettings _settings;
        private readonly FrameDecoder _decoder;
        private readonly Action<Frame> _onFrame;
        private readonly ChannelTable<SubstreamState> _table;
        private readonly FrameScheduler _scheduler;
        private readonly HashSet<RemoteChannel> _overfull = [];
        private readonly MagicMatcher? _magic;
        private readonly SessionBuffer _budget;
        // One async callback for every call from outside: each costs a few hundred bytes per session.
        private Action<object> _onCall = null!;
        private long _elementsPushed;
        private bool _closing;
        private string? _closeAfter;
        private bool _transportFinished;
        private Exception? _failure;

        public Logic(MultiplexerStage stage, MultiplexerHandle handle, SharedFrameWriter? directSender, ReceivedChunks? chunks)
            : base(stage.Shape)
        {
            _stage = stage;
            _handle = handle;
            _directSender = directSender;
            _chunks = chunks ?? new ImmutableChunks();
            _settings = stage._settings;
            _budget = handle.Budget;
            _table = new ChannelTable<SubstreamState>(_settings.MaxSubstreams, _budget.Node);
            _scheduler = new FrameScheduler(_settings.MaxSendFramePayload);
            _decoder = new FrameDecoder(_settings.MaxFramePayload, splitData: true);
            _onFrame = OnFrame;
            if (stage._exchangeMagic)
            {
                _magic = new MagicMatcher();
                _scheduler.QueueControl(ByteString.CopyFrom(PxpMagic.Bytes.ToArray()));
            }

            SetHandler(stage.In, this);
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            _onCall = GetAsyncCallback<object>(OnCall);
            _handle.Bind(_onCall, OnCall);
            // The transport may have ended (or a call failed us) before this stage started.
            if (!IsClosed(_stage.In) && !HasBeenPulled(_stage.In)) Pull(_stage.In);
        }

        public override void PostStop()
        {
            var reason = _failure ?? new MultiplexerClosedException("The PXP session is closed");
            foreach (var state in _table.Registered)
            {
                if (state.Reader is { IsClosed: false } reader)
                {
                    if (_failure is null) reader.Complete();
                    else reader.Fail(reason);
                }
                if (state.Writer is { IsClosed: false } writer) writer.Cancel();
                if (state.Channel is { } channel)
                {
                    channel.FinishReads(_failure is null ? null : reason);
                    channel.CloseWrites(new MultiplexerClosedException("The PXP session is closed", _failure));
                }
            }
            _table.Close();
            _budget.Close();
            _handle.Stopped(_failure);
        }

        public override void OnPush() => OnTransportPush();

        public override void OnUpstreamFinish() => OnTransportFinish();

        public override void OnUpstreamFailure(Exception e) => Fail(e);

        public override void OnPull()
        {
            SendNext();
            if (IsAvailable(_stage.Out)) HandOverToDirectWriters();
        }

        public override void OnDownstreamFinish(Exception cause)
        {
            if (_closing || _transportFinished) CompleteStage();
            // The transport's own failure (say, a write timeout) is the clearest reason we can give.
            else if (cause is not (null or SubscriptionWithCancelException.NonFailureCancellation)) Fail(cause);
            else Fail(new MultiplexerClosedException("The transport stopped accepting data"));
        }

        private void OnCall(object call)
        {
            switch (call)
            {
                case ChannelCall channelCall: OnChannelCall(channelCall); break;
                case OpenRequest open: Open(open); break;
                case CloseCall: BeginClose(); break;
                case CloseAfterCall closeAfter: CloseAfter(closeAfter.Substream); break;
                case AbortCall abort: Fail(abort.Reason); break;
                case ReapCall reap: Reap(reap.Channel); break;
            }
        }

        private void OnChannelCall(ChannelCall call)
        {
            // The stage's own record of the channel, found by its name: none once the channel is forgotten, or the name is
            // another channel's by now.
            if (!_table.TryGet(call.Channel.Name, out var state) || state.Channel != call.Channel)
            {
                if (call.Kind == ChannelCallKind.Write) call.Channel.Sent(call.Data!.Count);
                return;
            }
            switch (call.Kind)
            {
                case ChannelCallKind.Write: OnChannelWrite(state, call.Data!); break;
                case ChannelCallKind.CompleteWrites: OnWriterDone(state); break;
                case ChannelCallKind.StopReading: OnReaderCancelled(state); break;
                case ChannelCallKind.RoomFreed:
                    if (state.Remote is { } remote && _overfull.Remove(remote)) PullTransportIfRoom();
                    break;
            }
        }

        private void Fail(Exception reason)
        {
            _failure ??= reason;
            FailStage(reason);
        }

        /// <summary>
        /// The stage's record of one registered name: the table's view plus how it is used, either as a graph
        /// (<see cref="Writer"/>, <see cref="Reader"/>) or as a <see cref="Channel"/>.
        /// </summary>
        private sealed class SubstreamState(string name, LocalChannel local) : NamedSubstream(name, local)
        {
            public SubSinkInlet<ByteString>? Writer { get; set; }

            public SubSourceOutlet<ByteString>? Reader { get; set; }

            public SubstreamChannel? Channel { get; set; }
        }

        /// <summary>A timer's word that <paramref name="Channel"/> may have waited too long to be claimed.</summary>
        private sealed record ReapCall(RemoteChannel Channel);

        private sealed class WriterHandler(Logic logic, SubstreamState state) : InHandler
        {
            public override void OnPush() => logic.OnWriterPush(state);

            public override void OnUpstreamFinish() => logic.OnWriterDone(state);

            public override void OnUpstreamFailure(Exception e) => logic.OnWriterDone(state);
        }

        private sealed class ReaderHandler(Logic logic, SubstreamState state) : OutHandler
        {
            public override void OnPull()
            {
                if (state.Remote is { } remote) logic.Deliver(remote);
            }

            public override void OnDownstreamFinish(Exception cause) => logic.OnReaderCancelled(state);
        }
    }
}
