using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using PxpActors.Buffers;

namespace PxpActors.Carriers.Pipes;

/// <summary>
/// A TCP session's carrier over its socket's <see cref="SocketDuplexPipe"/> (System.IO.Pipelines): what is read comes out
/// as the input pipe's own segments, one chunk each, given back to the pipe (<c>AdvanceTo</c>) when the stage is pulled
/// again; elements in are copied into the output pipe through the <see cref="PipeFrameWriter"/> the multiplexer's direct
/// writers share. The alternative to <see cref="StreamCarrierStage"/> measured in docs/ARCHITECTURE.md, chosen by
/// <c>Transports/Tcp/TcpCarrierKind</c>. What it runs on is the <see cref="PipeCarrierBinding"/> attribute of each
/// materialization of a blueprint.
/// </summary>
internal sealed class PipeCarrierStage : GraphStage<FlowShape<ByteString, ByteString>>
{
    private readonly PipeCarrierBinding? _binding;
    private readonly Inlet<ByteString> _in = new("PipeCarrier.in");
    private readonly Outlet<ByteString> _out = new("PipeCarrier.out");

    private PipeCarrierStage(PipeCarrierBinding? binding) => _binding = binding;

    /// <summary>A stage on <paramref name="binding"/>'s socket (tests).</summary>
    public static PipeCarrierStage Over(PipeCarrierBinding binding) => new(binding);

    /// <summary>A stage for a blueprint graph: each materialization is bound by a <see cref="PipeCarrierBinding"/> attribute.</summary>
    public static PipeCarrierStage Unbound() => new(binding: null);

    public override FlowShape<ByteString, ByteString> Shape => new(_in, _out);

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("pxpPipeCarrier");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) =>
        new Logic(this, _binding ?? inheritedAttributes.GetAttribute<PipeCarrierBinding>()
            ?? throw new InvalidOperationException("A blueprint's pipe carrier stage was materialized without a PipeCarrierBinding"));

    private sealed record Read(ReadResult Result, Exception? Error);

    private sealed record Written(Exception? Error);

    private sealed record Shutdown(Exception? Error);

    private sealed record InputEnded
    {
        public static readonly InputEnded Instance = new();
    }

    // The logic is its own port handler: handler lambdas would cost a few hundred bytes per session.
    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly PipeCarrierStage _stage;
        private readonly PipeCarrierBinding _binding;
        private readonly SocketDuplexPipe _pipe;
        private readonly PipeReader _reader;
        private readonly PipeFrameWriter _sender;
        private readonly List<ArraySegment<byte>> _sendSegments = [];
        private Action<object> _onCompleted = null!;
        private bool _reading;
        // The read result being pushed segment by segment; given back to the pipe once all is pushed and pulled past.
        private ReadOnlySequence<byte> _held;
        private bool _holding;
        private SequencePosition _nextSegment;
        private long _pushedOfHeld;
        private bool _inputEnded;
        private bool _writing;
        private int _writingBytes;
        private bool _writesDone;

        public Logic(PipeCarrierStage stage, PipeCarrierBinding binding) : base(stage.Shape)
        {
            _stage = stage;
            _binding = binding;
            _pipe = binding.Pipe;
            _reader = binding.Pipe.Input;
            _sender = binding.Sender;
            SetHandler(stage._out, this);
            SetHandler(stage._in, this);
        }

        public override void OnPull() => PushNext();

        public override void OnDownstreamFinish(Exception cause) => StopIfDone();

        public override void OnPush() => StartWrite();

        public override void OnUpstreamFinish() => FinishWrites();

        public override void OnUpstreamFailure(Exception e) => FinishWrites();

        public override void PreStart()
        {
            _onCompleted = GetAsyncCallback<object>(completed =>
            {
                switch (completed)
                {
                    case Read read: OnRead(read); break;
                    case Written written: OnWritten(written.Error); break;
                    case InputEnded or Shutdown { Error: null }: StopIfDone(); break;
                    case Shutdown: EndStage(); break;
                }
            });
            _pipe.Start();
            Pull(_stage._in);
        }

        public override void PostStop()
        {
            _sender.Close("The PXP session is closed");
            if (_holding) _reader.AdvanceTo(_held.End);
            _holding = false;
            _binding.Chunks.Pushing(ReadOnlyMemory<byte>.Empty);
            _reader.CancelPendingRead();
            _pipe.Close();
            if (!_writesDone)
            {
                _writesDone = true;
                // Between two writers' frames: what was flushed is still sent, then the socket closes.
                _ = CloseOutputAsync();
            }
        }

        private void CompleteOutput() => _pipe.Output.Complete();

        private async Task CloseOutputAsync()
        {
            try
            {
                await _sender.CloseBetweenFramesAsync("The PXP session is closed", CompleteOutput).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // completed already: nothing left to close
            }
        }

        // ---- the way in ----

        /// <summary>The next segment of what was read, or, once all was pushed, the chunk given back and the next read.</summary>
        private void PushNext()
        {
            if (_holding && _pushedOfHeld < _held.Length)
            {
                PushSegment();
                return;
            }
            if (_holding)
            {
                _holding = false;
                _binding.Chunks.Pushing(ReadOnlyMemory<byte>.Empty);
                _reader.AdvanceTo(_held.End); // pulled again: every segment pushed is done with (but for slices held under its lease)
                if (_inputEnded)
                {
                    EndInput();
                    return;
                }
            }
            StartRead();
        }

        /// <summary>Reads in the stage when bytes are waiting; only a read that has to wait comes back through a callback.</summary>
        private void StartRead()
        {
            if (_reading) return;
            _reading = true;
            ValueTask<ReadResult> pending;
            try
            {
                if (_reader.TryRead(out var ready))
                {
                    OnRead(new Read(ready, null));
                    return;
                }
                pending = _reader.ReadAsync();
            }
            catch (Exception e)
            {
                OnRead(new Read(default, e));
                return;
            }
            if (pending.IsCompletedSuccessfully) OnRead(new Read(pending.Result, null));
            else _ = FinishReadAsync(pending);
        }

        private async Task FinishReadAsync(ValueTask<ReadResult> pending)
        {
            try
            {
                _onCompleted(new Read(await pending.ConfigureAwait(false), null));
            }
            catch (Exception e)
            {
                _onCompleted(new Read(default, e));
            }
        }

        private void OnRead(Read read)
        {
            _reading = false;
            if (read.Error is not null)
            {
                if (read.Error is InvalidOperationException or OperationCanceledException) EndStage(); // the pipe was closed under us
                else FailStage(new IOException($"Transport read failed: {read.Error.Message}", read.Error));
                return;
            }
            var result = read.Result;
            if (result.IsCanceled) return; // our own stop
            if (result.Buffer.IsEmpty)
            {
                _reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted) EndInput();
                else StartRead();
                return;
            }
            _held = result.Buffer;
            _holding = true;
            _nextSegment = _held.Start;
            _pushedOfHeld = 0;
            _inputEnded = result.IsCompleted;
            _binding.Traffic.Received(_held.Length);
            PushSegment();
        }

        /// <summary>One segment of the held read as a chunk, its array as it is (the pool's arrays).</summary>
        private void PushSegment()
        {
            ReadOnlyMemory<byte> segment;
            while (_held.TryGet(ref _nextSegment, out segment) && segment.IsEmpty)
            {
            }
            _pushedOfHeld += segment.Length;
            _binding.Chunks.Pushing(segment);
            var chunk = MemoryMarshal.TryGetArray(segment, out var array)
                ? ByteString.FromBytes(array.Array!, array.Offset, array.Count)
                : ByteString.CopyFrom(segment.ToArray());
            if (!IsClosed(_stage._out)) Push(_stage._out, chunk);
        }

        /// <summary>
        /// The input ended: the multiplexer hears it now, and the stage stops (if it may) only from its mailbox, once the
        /// multiplexer has handled the end (a frame cut short, say): stopping at once would cancel what the multiplexer
        /// sends before that, which it would take for the carrier failing.
        /// </summary>
        private void EndInput()
        {
            Complete(_stage._out);
            _onCompleted(InputEnded.Instance);
        }

        // ---- the way out ----

        private void StartWrite()
        {
            var element = Grab(_stage._in);
            _writingBytes = element.Count;
            if (!_sender.TryEnter())
            {
                _writing = true;
                _ = WriteWhenFreeAsync(element);
                return;
            }
            ValueTask write;
            try
            {
                write = WriteHeld(element);
            }
            catch (Exception e)
            {
                _sender.Exit();
                OnWritten(e);
                return;
            }
            if (write.IsCompletedSuccessfully)
            {
                _sender.Exit();
                OnWritten(null);
                return;
            }
            _writing = true;
            _ = FinishWriteAsync(write);
        }

        /// <summary>The element's buffers copied into the output pipe and flushed; the caller holds the sender.</summary>
        private ValueTask WriteHeld(ByteString element)
        {
            _sendSegments.Clear();
            ByteStringSegments.AddTo(element, _sendSegments);
            return _sender.SendHeldAsync(_sendSegments, CancellationToken.None);
        }

        private async Task WriteWhenFreeAsync(ByteString element)
        {
            try
            {
                await _sender.EnterAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _onCompleted(new Written(e));
                return;
            }
            ValueTask write;
            try
            {
                write = WriteHeld(element);
            }
            catch (Exception e)
            {
                _sender.Exit();
                _onCompleted(new Written(e));
                return;
            }
            await FinishWriteAsync(write).ConfigureAwait(false);
        }

        private async Task FinishWriteAsync(ValueTask pending)
        {
            Exception? error = null;
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                error = e;
            }
            finally
            {
                _sender.Exit();
            }
            _onCompleted(new Written(error));
        }

        private void OnWritten(Exception? error)
        {
            _writing = false;
            _sender.CountElementSent();
            if (error is not null)
            {
                FailStage(new IOException($"Transport write failed: {error.Message}", error));
                return;
            }
            _binding.Traffic.Sent(_writingBytes);
            if (IsClosed(_stage._in)) FinishWrites();
            else Pull(_stage._in);
        }

        /// <summary>Our side is done writing: the output pipe completes between frames, and the socket half-closes once it is sent.</summary>
        private void FinishWrites()
        {
            if (_writing || _writesDone) return;
            _writesDone = true;
            var shutdown = _sender.CloseBetweenFramesAsync("The PXP session has ended its side of the connection", CompleteOutput);
            if (!shutdown.IsCompleted)
            {
                _ = ReportShutdownAsync(shutdown);
                return;
            }
            if (shutdown.IsFaulted) EndStage();
            else StopIfDone();
        }

        private async Task ReportShutdownAsync(Task shutdown)
        {
            Exception? error = null;
            try
            {
                await shutdown.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                error = e;
            }
            _onCompleted(new Shutdown(error));
        }

        /// <summary>
        /// Stops with the input ended first: the multiplexer hears the end of what was read (a frame cut short, say)
        /// before the cancellation of what it sends, which it would take for the carrier's failure.
        /// </summary>
        private void EndStage()
        {
            if (!IsClosed(_stage._out)) Complete(_stage._out);
            CompleteStage();
        }

        private void StopIfDone()
        {
            if (IsClosed(_stage._out) && (_writesDone || IsClosed(_stage._in))) CompleteStage();
            else if (IsClosed(_stage._out) && !_writing) CompleteStage();
        }
    }
}
