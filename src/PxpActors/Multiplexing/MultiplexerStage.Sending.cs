using System.Text;
using Akka.IO;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;

namespace PxpActors.Multiplexing;

public sealed partial class MultiplexerStage
{
    /// <summary>The way out: opens, writers and channels → the <see cref="FrameScheduler"/> → the carrier; and closing.</summary>
    private sealed partial class Logic
    {
        private void Open(OpenRequest request)
        {
            _handle.Answered(request);
            var name = request.Name;
            if (_closing)
            {
                request.Fail(new MultiplexerClosedException("The PXP session is closing"));
                return;
            }
            if (_table.WhyNotOpen(name) is { } refusal)
            {
                request.Fail(new InvalidOperationException(refusal));
                return;
            }

            var state = new SubstreamState(name, _table.NextLocalChannel());
            if (request.Channel is { } channel)
            {
                state.Channel = channel;
                state.Control = request.Control;
                channel.MarkOpened();
                if (_table.Register(state) is { } held) Attach(state, held);
                return;
            }

            var writer = new SubSinkInlet<ByteString>(this, $"pxp-out:{name}");
            writer.SetHandler(new WriterHandler(this, state));
            state.Writer = writer;
            var reader = new SubSourceOutlet<ByteString>(this, $"pxp-in:{name}");
            reader.SetHandler(new ReaderHandler(this, state));
            state.Reader = reader;
            writer.Pull();

            if (_table.Register(state) is { } early) Attach(state, early);
            request.ForGraph!.TrySetResult(new Substream(
                name,
                Akka.Streams.Dsl.Source.FromGraph(reader.Source),
                Akka.Streams.Dsl.Sink.FromGraph(writer.Sink)));
        }

        /// <summary>A name we registered claims the channel the peer opened under it first.</summary>
        private void Attach(SubstreamState owner, RemoteChannel remote)
        {
            owner.Remote = remote;
            remote.Owner = owner;
            Deliver(remote);
        }

        private void OnChannelWrite(SubstreamState state, ByteString data)
        {
            var channel = state.Channel!;
            if (state.WriterDone)
            {
                channel.Sent(data.Count);
                return;
            }
            Announce(state);
            if (!state.Control)
            {
                state.Pending = state.Pending.IsEmpty ? data : state.Pending.Concat(data);
                QueueForSend(state);
                return;
            }
            // Control frames skip the round-robin: a reply is on the wire before any data queued after it.
            for (var offset = 0; offset < data.Count; offset += _settings.MaxSendFramePayload)
                QueueControl(FrameScheduler.EncodeData(state.Local.Number,
                    data.Slice(offset, Math.Min(_settings.MaxSendFramePayload, data.Count - offset))));
            channel.Sent(data.Count);
            if (_scheduler.QueuedControlFrames > _settings.MaxQueuedControlFrames)
                Fail(new PxpProtocolException(
                    $"The peer does not read: more than {_settings.MaxQueuedControlFrames} RPC frames are waiting to be sent"));
        }

        private void OnWriterPush(SubstreamState state)
        {
            var element = state.Writer!.Grab();
            if (element.IsEmpty)
            {
                state.Writer.Pull();
                return;
            }
            Announce(state);
            state.Pending = element;
            QueueForSend(state);
        }

        private void OnWriterDone(SubstreamState state)
        {
            if (state.WriterDone) return;
            state.WriterDone = true;
            if (!state.QueuedForSend) QueueEnd(state);
        }

        private void QueueForSend(SubstreamState state)
        {
            if (_scheduler.QueueData(state) && IsAvailable(_stage.Out)) SendNext();
        }

        /// <summary>The type-0 open goes out just before our channel's first data, end or error frame.</summary>
        private void Announce(SubstreamState state)
        {
            if (state.Local.Announced) return;
            state.Local.Announced = true;
            QueueControl(new Frame(state.Local.Number, FrameType.Open, Encoding.UTF8.GetBytes(state.Name)));
        }

        /// <summary>
        /// Ends our direction with an end frame, never an error frame: a JS hub that receives a reset
        /// drops the whole peer (PROTOCOL.md section 6).
        /// </summary>
        private void QueueEnd(SubstreamState state)
        {
            if (state.Local.EndQueued) return;
            state.Local.EndQueued = true;
            if (state.Local.Announced || !_closing)
            {
                Announce(state);
                QueueControl(new Frame(state.Local.Number, FrameType.EndFromCreator, ReadOnlyMemory<byte>.Empty));
            }
            _table.ReleaseIfDone(state);
            ForgetIfFinished(state);
            if (_closeAfter == state.Name) BeginClose();
        }

        private void QueueControl(Frame frame) => QueueControl(ByteString.FromBytes(frame.ToArray()));

        private void QueueControl(ByteString frame)
        {
            _scheduler.QueueControl(frame);
            if (IsAvailable(_stage.Out)) SendNext();
        }

        /// <summary>Pushes the scheduler's next element; a substream whose queue ran dry asks its writer for more.</summary>
        private void SendNext()
        {
            if (!IsAvailable(_stage.Out)) return;
            if (_scheduler.TryNext(out var element, out var next, out var payloadBytes))
            {
                var from = (SubstreamState?)next;
                _elementsPushed++;
                Push(_stage.Out, element);
                if (from is not null)
                {
                    from.Channel?.Sent(payloadBytes);
                    if (from.QueuedForSend) return;
                    if (from.WriterDone) QueueEnd(from);
                    else if (from.Writer is { } writer) writer.Pull();
                    else if (_directSender is not null && !from.Control) _scheduler.MarkGoingDirect(from);
                }
            }
            CompleteIfFlushed();
        }

        /// <summary>
        /// Once nothing is queued here and the carrier has sent everything pushed to it, a channel whose writes came
        /// through here may send its data frames itself: none of ours can be overtaken any more.
        /// </summary>
        private void HandOverToDirectWriters()
        {
            if (!_scheduler.HasGoingDirect || !_scheduler.IsIdle || _closing) return;
            var sender = _directSender!;
            if (sender.ElementsSent != _elementsPushed) return;
            foreach (var substream in _scheduler.GoingDirect)
            {
                var state = (SubstreamState)substream;
                if (state.QueuedForSend || state.WriterDone || !state.Pending.IsEmpty || !_table.IsCurrent(state)) continue;
                state.Channel!.SendDirectly(sender, state.Local.Number, _settings.MaxSendFramePayload);
            }
            _scheduler.ClearGoingDirect();
        }

        /// <summary>
        /// Closing completes as soon as the last queued frame is pushed, without waiting for more demand:
        /// a transport that read everything may never ask again.
        /// </summary>
        private void CompleteIfFlushed()
        {
            if (_closing && _scheduler.IsIdle) CompleteStage();
        }

        private void ForgetIfFinished(SubstreamState state)
        {
            _table.ForgetIfFinished(state);
        }

        private void CloseAfter(string name)
        {
            if (_table.TryGet(name, out var state) && !(state.WriterDone && !state.QueuedForSend))
                _closeAfter = name;
            else BeginClose();
        }

        /// <summary>Stops taking writes and opens; frames already queued for control are still sent.</summary>
        private void BeginClose()
        {
            if (_closing) return;
            _closing = true;
            _closeAfter = null;
            foreach (var state in _table.Registered.ToList())
            {
                state.Writer?.Cancel();
                state.Channel?.CloseWrites(new MultiplexerClosedException("The PXP session is closing"));
                state.Pending = ByteString.Empty;
                state.WriterDone = true;
            }
            _scheduler.DropData();
            if (!IsClosed(_stage.In)) Cancel(_stage.In);
            if (IsAvailable(_stage.Out)) SendNext();
            else CompleteIfFlushed();
        }
    }
}
