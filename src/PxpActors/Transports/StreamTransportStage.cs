using System.Buffers;
using System.Net.Sockets;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;

namespace PxpActors.Transports;

/// <summary>
/// Any duplex <see cref="System.IO.Stream"/> as a byte flow, without blocking a thread: reads and writes
/// are async and their results come back into the stage as async callbacks. Each element written is
/// one <c>WriteAsync</c> (so one frame is one socket send). On a <see cref="NetworkStream"/> it waits
/// with zero-byte reads, so an idle connection holds no receive buffer. A write that the peer does not
/// take within <c>writeTimeout</c> fails the transport: a peer that never reads cannot hold us forever.
/// </summary>
public sealed class StreamTransportStage(Stream stream, TimeSpan? writeTimeout = null, int readBufferSize = 64 * 1024)
    : GraphStage<FlowShape<ByteString, ByteString>>
{
    private readonly Stream _transport = stream;
    private readonly TimeSpan _writeTimeout = writeTimeout ?? Timeout.InfiniteTimeSpan;
    private readonly int _readBufferSize = readBufferSize;
    private readonly Inlet<ByteString> _in = new("StreamTransport.in");
    private readonly Outlet<ByteString> _out = new("StreamTransport.out");

    public override FlowShape<ByteString, ByteString> Shape => new(_in, _out);

    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("pxpStreamTransport");

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic
    {
        private readonly StreamTransportStage _stage;
        private readonly Stream _stream;
        private readonly bool _zeroByteReads;
        private readonly CancellationTokenSource _stop = new();
        private Action<(int Read, byte[]? Buffer, Exception? Error)> _onRead = null!;
        private Action<Exception?> _onWritten = null!;
        private bool _reading;
        private bool _writing;
        private bool _writesDone;

        public Logic(StreamTransportStage stage) : base(stage.Shape)
        {
            _stage = stage;
            _stream = stage._transport;
            _zeroByteReads = _stream is NetworkStream;
            SetHandler(stage._out, onPull: StartRead, onDownstreamFinish: _ => StopIfDone());
            SetHandler(stage._in, onPush: StartWrite, onUpstreamFinish: FinishWrites, onUpstreamFailure: _ => FinishWrites());
        }

        public override void PreStart()
        {
            _onRead = GetAsyncCallback<(int, byte[]?, Exception?)>(OnRead);
            _onWritten = GetAsyncCallback<Exception?>(OnWritten);
            Pull(_stage._in);
        }

        public override void PostStop()
        {
            _stop.Cancel();
            _stream.Dispose();
            _stop.Dispose();
        }

        private void StartRead()
        {
            if (_reading) return;
            _reading = true;
            _ = ReadAsync();
        }

        private async Task ReadAsync()
        {
            byte[]? buffer = null;
            try
            {
                if (_zeroByteReads) await _stream.ReadAsync(Memory<byte>.Empty, _stop.Token).ConfigureAwait(false);
                buffer = ArrayPool<byte>.Shared.Rent(_stage._readBufferSize);
                var read = await _stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                _onRead((read, buffer, null));
            }
            catch (Exception e)
            {
                if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
                _onRead((0, null, e));
            }
        }

        private void OnRead((int Read, byte[]? Buffer, Exception? Error) result)
        {
            _reading = false;
            if (result.Error is not null)
            {
                if (result.Error is OperationCanceledException or ObjectDisposedException) CompleteStage();
                else FailStage(new IOException($"Transport read failed: {result.Error.Message}", result.Error));
                return;
            }
            if (result.Read == 0)
            {
                ArrayPool<byte>.Shared.Return(result.Buffer!);
                Complete(_stage._out);
                StopIfDone();
                return;
            }
            var bytes = ByteString.CopyFrom(result.Buffer!, 0, result.Read);
            ArrayPool<byte>.Shared.Return(result.Buffer!);
            if (!IsClosed(_stage._out)) Push(_stage._out, bytes);
        }

        private void StartWrite()
        {
            var element = Grab(_stage._in);
            _writing = true;
            _ = WriteAsync(element);
        }

        private async Task WriteAsync(ByteString element)
        {
            // ByteString exposes no Memory to hand to WriteAsync: copy once into a pooled buffer.
            var buffer = ArrayPool<byte>.Shared.Rent(element.Count);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            deadline.CancelAfter(_stage._writeTimeout);
            try
            {
                element.CopyTo(buffer, 0, element.Count);
                await _stream.WriteAsync(buffer.AsMemory(0, element.Count), deadline.Token).ConfigureAwait(false);
                _onWritten(null);
            }
            catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
            {
                _onWritten(new TimeoutException(
                    $"the peer took no data for {_stage._writeTimeout.TotalSeconds:0.###} s (it is not reading)"));
            }
            catch (Exception e)
            {
                _onWritten(e);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private void OnWritten(Exception? error)
        {
            _writing = false;
            if (error is not null)
            {
                FailStage(new IOException($"Transport write failed: {error.Message}", error));
                return;
            }
            if (IsClosed(_stage._in)) FinishWrites();
            else Pull(_stage._in);
        }

        /// <summary>Our side is done writing: half-close where the transport can, so the peer reads our end.</summary>
        private void FinishWrites()
        {
            if (_writing || _writesDone) return;
            _writesDone = true;
            try
            {
                switch (_stream)
                {
                    case NetworkStream network: network.Socket.Shutdown(SocketShutdown.Send); break;
                    case IHalfClosable halfClosable: halfClosable.CompleteWrites(); break;
                    default: CompleteStage(); return;
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                CompleteStage();
                return;
            }
            StopIfDone();
        }

        private void StopIfDone()
        {
            if (IsClosed(_stage._out) && (_writesDone || IsClosed(_stage._in))) CompleteStage();
            else if (IsClosed(_stage._out) && !_writing) CompleteStage();
        }
    }
}
