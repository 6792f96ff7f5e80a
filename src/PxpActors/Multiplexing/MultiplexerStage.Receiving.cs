using System.Text;
using Akka.Streams;
using PxpActors.Buffers;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;

namespace PxpActors.Multiplexing;

public sealed partial class MultiplexerStage
{
    /// <summary>The way in: carrier chunks → frames → the substreams' readers and channels.</summary>
    private sealed partial class Logic
    {
        private void OnTransportPush()
        {
            var chunk = Grab(_stage.In);
            try
            {
                // Carrier chunks are never changed once pushed, unless lent: the carrier says how what is kept outlives them.
                var bytes = ByteStringSegments.AsMemory(chunk);
                if (_magic is { IsComplete: false }) bytes = bytes[_magic.Consume(bytes.Span)..];
                _chunks.Arrived(bytes.Length);
                _decoder.Decode(bytes, _onFrame);
            }
            catch (PxpProtocolException e)
            {
                Fail(e);
                return;
            }
            PullTransportIfRoom();
        }

        private void PullTransportIfRoom()
        {
            if (_overfull.Count == 0 && !_closing && !IsClosed(_stage.In) && !HasBeenPulled(_stage.In))
                Pull(_stage.In);
        }

        private void OnTransportFinish()
        {
            if (_magic is { IsComplete: false })
            {
                Fail(new PxpProtocolException("Connection closed before the PXP magic value was received"));
                return;
            }
            if (!_decoder.IsAtFrameBoundary)
            {
                Fail(new PxpProtocolException("Connection ended in the middle of a multiplex frame"));
                return;
            }
            // The peer is gone: every substream ends once its reader has taken what was buffered.
            _transportFinished = true;
            foreach (var remote in _table.OpenRemotes.ToList()) EndRemote(remote);
            CompleteIfDrained();
        }

        private void CompleteIfDrained()
        {
            if (_transportFinished && _table.Registered.All(s => s.ReaderDone || s.Remote is not { Buffer.Count: > 0 }))
                CompleteStage();
        }

        private void OnFrame(Frame frame)
        {
            switch (frame.Type)
            {
                case FrameType.Open: OnOpen(frame); break;
                case FrameType.DataFromCreator: OnData(frame); break;
                case FrameType.EndFromCreator: EndRemote(_table.PeerChannel(frame.Channel, frame.Type)); break;
                case FrameType.ErrorFromCreator: OnReset(frame); break;
                case FrameType.DataFromReceiver:
                    throw new PxpProtocolException(
                        $"Peer wrote to channel {frame.Channel}, which we created (PXP channels are one-way)");
                case FrameType.EndFromReceiver: OnPeerFinishedOurChannel(frame.Channel, reset: false); break;
                case FrameType.ErrorFromReceiver: OnPeerFinishedOurChannel(frame.Channel, reset: true); break;
            }
        }

        private void OnOpen(Frame frame)
        {
            var name = frame.Payload.IsEmpty ? frame.Channel.ToString() : DecodeName(frame.Payload.Span);
            var remote = _table.PeerOpened(frame.Channel, name);
            if (remote.Owner is not null)
            {
                Deliver(remote);
                return;
            }
            // Held until someone claims the name; reaped if nobody does in time.
            var onCall = _onCall;
            Materializer.ScheduleOnce(_settings.UnclaimedSubstreamTimeout, () => onCall(new ReapCall(remote)));
        }

        /// <summary>
        /// A substream the peer opened and nobody claimed in time: its bytes are dropped, now and from now on, and the
        /// connection is read again if it waited for it. Nothing is sent: the peer's end is answered when it comes.
        /// </summary>
        private void Reap(RemoteChannel remote)
        {
            if (!_table.Reap(remote)) return; // claimed, reset or ended and claimed meanwhile
            remote.Buffer.Clear();
            DropHeld(remote);
            if (_overfull.Remove(remote)) PullTransportIfRoom();
        }

        /// <summary>Received bytes the stage keeps (negative: handed on or dropped), charged to the session's and node's budget.</summary>
        private void Hold(RemoteChannel remote, long bytes)
        {
            remote.BufferedBytes += bytes;
            _budget.Add(bytes);
        }

        private void DropHeld(RemoteChannel remote) => Hold(remote, -remote.BufferedBytes);

        /// <summary>
        /// After the peer's data was kept: a session holding more than its budget is sent data nobody reads, and fails; one
        /// whose data takes the node past its budget is refused (the newest claimant), so the node's memory stays bounded.
        /// </summary>
        private void CheckBudget()
        {
            if (_budget.IsOverLimit)
            {
                _budget.Node.CountSessionBufferRefusal();
                throw new PxpProtocolException(
                    $"Peer sent {_budget.Held} bytes that are not read yet, past this session's limit of {_budget.Limit}");
            }
            if (_budget.Node.IsOverBufferBudget)
            {
                _budget.Node.CountNodeBufferRefusal();
                throw new PxpProtocolException(
                    $"This node holds its limit of {_budget.Node.Limits.NodeBufferBytes} received bytes not read yet: the session sending more is closed");
            }
        }

        private static string DecodeName(ReadOnlySpan<byte> bytes)
        {
            try
            {
                return new UTF8Encoding(false, true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new PxpProtocolException("Peer opened a channel whose name is not valid UTF-8");
            }
        }

        private void OnData(Frame frame)
        {
            var remote = _table.PeerChannel(frame.Channel, frame.Type);
            if (remote.Ended)
                throw new PxpProtocolException($"Peer sent data on channel {frame.Channel} after ending it");
            if (frame.Payload.IsEmpty || remote.Reaped) return;
            var owner = (SubstreamState?)remote.Owner;
            if (owner is { ReaderDone: true }) return; // our reader cancelled: the bytes have nowhere to go

            if (owner is { Channel: { } channel } && remote.Buffer.Count == 0)
            {
                // A channel is the substream's buffer: the bytes go straight there.
                channel.Deliver(frame.Payload, _chunks);
                if (channel.IsOverBound()) _overfull.Add(remote);
                CheckBudget();
                return;
            }
            remote.Buffer.Enqueue(_chunks.Keep(frame.Payload));
            Hold(remote, frame.Payload.Length);
            if (remote.BufferedBytes > _settings.SubstreamBufferBytes) _overfull.Add(remote);
            Deliver(remote);
            CheckBudget();
        }

        private void OnReset(Frame frame)
        {
            // The reference tears a relay down with end and then reset on the same channel (PROTOCOL.md
            // section 6): the end already finished it, so the late reset has nothing left to close. The
            // reference's multiplex ignores frames for channels it no longer has, and so do we here.
            if (_table.PeerReset(frame.Channel) is not { } remote) return;
            _overfull.Remove(remote);
            remote.Buffer.Clear();
            DropHeld(remote);
            if (remote.Owner is SubstreamState { ReaderDone: false } owner)
            {
                owner.ReaderDone = true;
                var reset = new SubstreamResetException(remote.Name, Encoding.UTF8.GetString(frame.Payload.Span));
                owner.Reader?.Fail(reset);
                owner.Channel?.FinishReads(reset);
                ForgetIfFinished(owner);
            }
        }

        /// <summary>The peer ended its channel: answer with our own end (as multiplex does) and drain.</summary>
        private void EndRemote(RemoteChannel remote)
        {
            if (!_table.PeerEnded(remote)) return;
            _scheduler.QueueControl(new Frame(remote.Number, FrameType.EndFromReceiver, ReadOnlyMemory<byte>.Empty));
            if (IsAvailable(_stage.Out)) SendNext();
            Deliver(remote);
        }

        private void OnPeerFinishedOurChannel(uint number, bool reset)
        {
            if (_table.OurChannel(number) is not { } state) return;
            state.Local.PeerFinished = true;
            if (reset && !state.Local.EndQueued)
            {
                // The peer destroyed this channel: stop taking writes, and send nothing more on it, not even an end.
                state.WriterDone = true;
                state.Local.EndQueued = true;
                state.Pending = Akka.IO.ByteString.Empty;
                state.Writer?.Cancel();
                state.Channel?.CloseWrites(new SubstreamResetException(state.Name, "the peer destroyed the substream"));
            }
            _table.ReleaseIfDone(state);
            ForgetIfFinished(state);
        }

        private void Deliver(RemoteChannel remote)
        {
            if (remote.Owner is not SubstreamState { ReaderDone: false } owner) return;
            if (owner.Reader is { } reader)
            {
                if (remote.Buffer.Count > 0 && reader.IsAvailable) reader.Push(TakeBuffered(remote));
            }
            else if (owner.Channel is { } channel)
            {
                // A channel is the substream's buffer: all of it goes there, and its bound is the stage's.
                while (remote.Buffer.TryDequeue(out var chunk)) channel.Deliver(chunk);
                DropHeld(remote); // the channel holds it now, and charged it
                if (channel.IsOverBound()) _overfull.Add(remote);
                else if (_overfull.Remove(remote)) PullTransportIfRoom();
            }
            else return;
            if (remote.Buffer.Count == 0 && remote.Ended)
            {
                owner.ReaderDone = true;
                owner.Reader?.Complete();
                owner.Channel?.FinishReads(null);
                ForgetIfFinished(owner);
                CompleteIfDrained();
            }
        }

        private Akka.IO.ByteString TakeBuffered(RemoteChannel remote)
        {
            var next = remote.Buffer.Dequeue();
            Hold(remote, -next.Count);
            if (remote.BufferedBytes <= _settings.SubstreamBufferBytes && _overfull.Remove(remote))
                PullTransportIfRoom();
            return next;
        }

        private void OnReaderCancelled(SubstreamState state)
        {
            state.ReaderDone = true;
            if (state.Remote is { } remote)
            {
                remote.Buffer.Clear();
                DropHeld(remote);
                if (_overfull.Remove(remote)) PullTransportIfRoom();
            }
            ForgetIfFinished(state);
        }
    }
}
