using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using PxpActors.Carriers;
using PxpActors.Multiplexing;

namespace PxpActors.Relays;

/// <summary>
/// A <see cref="SubstreamChannel"/> as one flow stage, for a nested session over a relay: what the peer sends is
/// handed to the stage's callback by the multiplexer's own thread (no reader task in between), and each element
/// written goes to the channel from the stage (straight onto the socket when the channel sends directly). The two
/// directions are independent, as the channel's are: completing the input ends ours with an end frame,
/// cancelling the output stops reading.
/// </summary>
/// <remarks>
/// What it carries is its <see cref="SubstreamCarrierBinding"/>: its own, or, for a stage of a blueprint (see
/// <see cref="Unbound"/>), the one given as an attribute when the graph is materialized.
/// </remarks>
internal sealed class SubstreamCarrierStage : GraphStage<FlowShape<ByteString, ByteString>>
{
    private readonly SubstreamCarrierBinding? _binding;

    /// <summary>A stage of its own on <paramref name="channel"/>, which neither lends its chunks nor shares a sender.</summary>
    public SubstreamCarrierStage(SubstreamChannel channel)
        : this(new SubstreamCarrierBinding(channel))
    {
    }

    private SubstreamCarrierStage(SubstreamCarrierBinding? binding) => _binding = binding;

    /// <summary>A stage for a blueprint graph: each materialization is bound to its substream by a <see cref="SubstreamCarrierBinding"/> attribute.</summary>
    internal static SubstreamCarrierStage Unbound() => new(binding: null);

    private readonly Inlet<ByteString> _in = new("SubstreamChannel.in");
    private readonly Outlet<ByteString> _out = new("SubstreamChannel.out");

    public override FlowShape<ByteString, ByteString> Shape => new(_in, _out);

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("pxpChannel");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) =>
        new Logic(this, _binding ?? inheritedAttributes.GetAttribute<SubstreamCarrierBinding>()
            ?? throw new InvalidOperationException("A blueprint's substream stage was materialized without a SubstreamCarrierBinding"));

    private sealed record Written(Exception? Error);

    private sealed class Logic : InAndOutGraphStageLogic
    {
        private readonly SubstreamCarrierStage _stage;
        private readonly ChunkLender? _lender;
        private readonly SubstreamChannel _channel;
        private readonly SubstreamWriter _writer;
        // Our reading of the channel, claimed as the stage starts.
        private SubstreamForwarding? _reading;
        private readonly SubstreamFrameWriter? _sender;
        private readonly Diagnostics.TransportTraffic _traffic;
        private readonly Queue<SubstreamReceived> _received = new();
        private Action<object> _onEvent = null!;
        private bool _peerFinished;
        private Exception? _peerFailure;
        private bool _writing;
        // The element being written: counted as sent once it is.
        private int _writingBytes;
        private bool _inputDone;

        public Logic(SubstreamCarrierStage stage, SubstreamCarrierBinding binding) : base(stage.Shape)
        {
            _stage = stage;
            _channel = binding.Channel;
            _writer = _channel.Writer;
            _sender = binding.Sender;
            _lender = binding.Lender;
            _traffic = binding.Traffic;
            SetHandler(stage._in, this);
            SetHandler(stage._out, this);
        }

        public override void PreStart()
        {
            _onEvent = GetAsyncCallback<object>(OnEvent);
            _reading = _channel.ForwardTo(_onEvent, leasedChunks: _lender is not null);
            Pull(_stage._in);
        }

        public override void PostStop()
        {
            _sender?.Close("The PXP session is closed");
            _lender?.EndLoan();
            while (_received.TryDequeue(out var chunk)) chunk.ReleaseLease();
            _reading?.StopReading();
            _writer.CompleteWrites();
        }

        private void OnEvent(object e)
        {
            switch (e)
            {
                case SubstreamReceived received:
                    _received.Enqueue(received);
                    Deliver();
                    break;
                case SubstreamFinished finished:
                    (_peerFinished, _peerFailure) = (true, finished.Error);
                    Deliver();
                    break;
                case Written written:
                    _writing = false;
                    AfterWrite(written.Error);
                    break;
            }
        }

        // ---- peer → downstream ----

        public override void OnPull()
        {
            _lender?.EndLoan(); // pulled again: the chunk before is done with
            Deliver();
        }

        public override void OnDownstreamFinish(Exception cause)
        {
            while (_received.TryDequeue(out var chunk)) chunk.ReleaseLease();
            _reading!.StopReading();
            if (IsClosed(_stage._in)) CompleteStage();
        }

        private void Deliver()
        {
            if (IsClosed(_stage._out)) return;
            if (_received.Count > 0)
            {
                if (!IsAvailable(_stage._out)) return;
                var chunk = _received.Dequeue();
                _lender?.Lend(chunk.Lease);
                _traffic.Received(chunk.Data.Count); // a chunk the carrier hands over is this transport's read
                Push(_stage._out, chunk.Data);
                chunk.From.Release(chunk.Data.Count);
            }
            else if (_peerFinished)
            {
                if (_peerFailure is null) Complete(_stage._out);
                else Fail(_stage._out, _peerFailure);
                if (IsClosed(_stage._in)) CompleteStage();
            }
        }

        // ---- upstream → peer ----

        public override void OnPush()
        {
            var element = Grab(_stage._in);
            _writingBytes = element.Count;
            if (_sender is not null && !_sender.TryEnter())
            {
                // A channel of the nested session is writing its frame: ours follows it, never into it.
                _writing = true;
                _ = WriteWhenFreeAsync(element);
                return;
            }
            ValueTask write;
            try
            {
                write = _writer.WriteAsync(element);
            }
            catch (Exception e)
            {
                _sender?.Exit();
                AfterWrite(e);
                return;
            }
            if (write.IsCompletedSuccessfully)
            {
                _sender?.Exit();
                AfterWrite(null);
                return;
            }
            _writing = true;
            _ = FinishWriteAsync(write);
        }

        private async Task WriteWhenFreeAsync(ByteString element)
        {
            await _sender!.EnterAsync().ConfigureAwait(false);
            Exception? error = null;
            ValueTask write;
            try
            {
                write = _writer.WriteAsync(element);
            }
            catch (Exception e)
            {
                error = e;
                write = ValueTask.CompletedTask;
            }
            await FinishWriteAsync(write, error).ConfigureAwait(false);
        }

        private async Task FinishWriteAsync(ValueTask write, Exception? error = null)
        {
            try
            {
                await write.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                error ??= e;
            }
            finally
            {
                _sender?.Exit();
            }
            _onEvent(new Written(error));
        }

        private void AfterWrite(Exception? error)
        {
            _sender?.CountElementSent(); // before the pull: the multiplexer compares it with what it pushed
            if (error is null) _traffic.Sent(_writingBytes);
            if (error is not null && !IsClosed(_stage._in)) Cancel(_stage._in); // the channel takes no more: neither do we
            if (error is not null || _inputDone) EndInput();
            else Pull(_stage._in);
        }

        public override void OnUpstreamFinish()
        {
            _inputDone = true;
            if (!_writing) EndInput();
        }

        public override void OnUpstreamFailure(Exception e) => OnUpstreamFinish();

        private void EndInput()
        {
            // Our end frame goes between two of the nested session's frames, never into one.
            if (_sender is null) _writer.CompleteWrites();
            else _ = _sender.CloseBetweenFramesAsync("The PXP session has ended its side of the connection", _writer.CompleteWrites);
            if (IsClosed(_stage._out)) CompleteStage();
        }
    }
}
