using System.Buffers;
using System.Net.Sockets;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using PxpActors.Transports.WebSocket;
using PxpActors.Buffers;
using PxpActors.Transports;

namespace PxpActors.Carriers;

/// <summary>
/// Any duplex <see cref="System.IO.Stream"/> as a byte flow, without blocking a thread: reads and writes
/// are async; those that complete at once are handled in the stage, the others come back as async
/// callbacks. Each element written is one write (so one frame is one socket send). On a
/// <see cref="NetworkStream"/> it works on the socket itself: it waits with zero-byte reads, so an idle
/// connection holds no receive buffer, reads exactly what is waiting into an array it hands on without
/// copying, and sends an element's buffers with one gathering send, without copying them either. A write
/// that the peer does not take within the write timeout fails the transport: a peer that never reads
/// cannot hold us forever. On a socket, every send goes through <see cref="Sender"/>, which writers may share. On a
/// WebSocket it works the same way, a message for a socket send: it waits with zero-byte reads, hands on lent read
/// buffers without copying, and sends through the <see cref="Sender"/> it shares with the writers.
/// What it runs on is its <see cref="StreamCarrierBinding"/>: its own, or, for a stage of a blueprint (see
/// <see cref="Unbound"/>), the one given as an attribute when the graph is materialized.
/// </summary>
public sealed partial class StreamCarrierStage : GraphStage<FlowShape<ByteString, ByteString>>
{
    private readonly StreamCarrierBinding? _binding;
    private readonly Inlet<ByteString> _in = new("StreamTransport.in");
    private readonly Outlet<ByteString> _out = new("StreamTransport.out");

    /// <param name="stream">The transport.</param>
    /// <param name="writeTimeout">How long one write may wait for the peer to take data.</param>
    /// <param name="readBufferSize">Most bytes one read takes (see <see cref="StreamCarrierBinding"/>).</param>
    /// <param name="lendReadBuffers">Lend read buffers on a socket (see <see cref="StreamCarrierBinding"/>).</param>
    public StreamCarrierStage(Stream stream, TimeSpan? writeTimeout = null, int? readBufferSize = null, bool lendReadBuffers = false)
        : this(new StreamCarrierBinding(stream, writeTimeout, readBufferSize, lendReadBuffers))
    {
    }

    private StreamCarrierStage(StreamCarrierBinding? binding) => _binding = binding;

    /// <summary>A stage for a blueprint graph: each materialization is bound to its stream by a <see cref="StreamCarrierBinding"/> attribute.</summary>
    internal static StreamCarrierStage Unbound() => new(binding: null);

    /// <summary>Elements in are written to the stream; what is read comes out.</summary>
    public override FlowShape<ByteString, ByteString> Shape => new(_in, _out);

    /// <summary>The sender this stage writes through on a socket (see <see cref="StreamCarrierBinding.Sender"/>). For one materialization.</summary>
    internal SharedFrameWriter? Sender => _binding?.Sender;

    /// <summary>When read buffers are lent: the lease of the chunk last pushed (see <see cref="StreamCarrierBinding.Lender"/>).</summary>
    internal ChunkLender? Lender => _binding?.Lender;

    /// <summary>Names the stage "pxpStreamTransport".</summary>
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("pxpStreamTransport");

    /// <summary>The logic, over this stage's stream or the one the <see cref="StreamCarrierBinding"/> attribute binds.</summary>
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) =>
        new Logic(this, _binding ?? inheritedAttributes.GetAttribute<StreamCarrierBinding>()
            ?? throw new InvalidOperationException("A blueprint's transport stage was materialized without a StreamCarrierBinding"));

    private sealed record ReadResult(int Read, byte[]? Buffer, Exception? Error);

    private sealed record WriteResult(Exception? Error);

    private sealed record ShutdownResult(Exception? Error);

    // The logic is its own port handler: handler lambdas would cost a few hundred bytes per session.
    // Its parts: this file (ports, reading, half-closing, stopping) and StreamCarrierStage.Writing.cs.
    private sealed partial class Logic : InAndOutGraphStageLogic
    {
        private readonly StreamCarrierStage _stage;
        private readonly StreamCarrierBinding _binding;
        private readonly Stream _stream;
        private readonly Socket? _socket;
        private readonly SharedFrameWriter? _sender;
        private readonly List<ArraySegment<byte>> _sendSegments = [];
        private readonly CancellationTokenSource _stop = new();
        private bool _finalized;
        // One source for every write's deadline, reset after each write: no allocation per frame.
        private CancellationTokenSource? _writeDeadline; // other streams only: a socket's sends are timed by waiting on them
        // One async callback for reads and writes that had to wait: each costs a few hundred bytes per session.
        private Action<object> _onCompleted = null!;
        private bool _reading;
        // When read buffers are lent: the lease of the read under way (then lent with the chunk pushed, see ChunkLender).
        private ChunkLease? _readLease;
        private bool _writing;
        // The element being written: counted as sent once it is.
        private int _writingBytes;
        private bool _writesDone;

        public Logic(StreamCarrierStage stage, StreamCarrierBinding binding) : base(stage.Shape)
        {
            _stage = stage;
            _binding = binding;
            _stream = binding.Stream;
            _socket = (_stream as NetworkStream)?.Socket;
            _sender = binding.Sender;
            SetHandler(stage._out, this);
            SetHandler(stage._in, this);
        }

        public override void OnPull() => StartRead();

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
                    case ReadResult read: OnRead(read); break;
                    case WriteResult write: OnWritten(write.Error); break;
                    case ShutdownResult { Error: null }: StopIfDone(); break;
                    case ShutdownResult: CompleteStage(); break;
                }
            });
            Pull(_stage._in);
        }

        public override void PostStop()
        {
            // Seen to run twice as simulated links shut down (the second threw on the disposed token source): once is enough.
            if (_finalized) return;
            _finalized = true;
            _binding.Lender?.EndLoan();
            _sender?.Close("The PXP session is closed");
            _stop.Cancel();
            _writeDeadline?.Cancel();
            _stream.Dispose();
            _stop.Dispose();
            _writeDeadline?.Dispose();
        }

        /// <summary>
        /// Reads in the stage itself when the read completes at once (data already waiting), and through an
        /// async callback only when it has to wait: a busy connection moves chunks without mailbox round trips.
        /// </summary>
        private void StartRead()
        {
            if (_reading) return;
            _reading = true;
            _binding.Lender?.EndLoan(); // pulled again: the chunk before is done with
            int waiting;
            if (_socket is null && !_binding.LendReadBuffers) waiting = -1;
            else if ((waiting = BytesWaiting()) == 0)
            {
                _ = WaitThenReadAsync();
                return;
            }
            var buffer = ReadBuffer(waiting);
            ValueTask<int> read;
            try
            {
                read = _stream.ReadAsync(buffer, ReadCancellation);
            }
            catch (Exception e)
            {
                OnRead(new ReadResult(0, buffer, e));
                return;
            }
            if (read.IsCompletedSuccessfully) OnRead(new ReadResult(read.Result, buffer, null));
            else _ = FinishReadAsync(read, buffer);
        }

        /// <summary>
        /// A socket's pending read ends when the stage disposes the socket; a token registration would cost an
        /// idle connection a few hundred bytes. Other streams may not abort reads on dispose: they get the token.
        /// </summary>
        private CancellationToken ReadCancellation => _socket is null ? _stop.Token : CancellationToken.None;

        /// <summary>
        /// What the socket has received and we have not read; 0 when idle (or closed: the read says so). A WebSocket
        /// cannot tell how much: a full read's worth while a message is under way, else 0.
        /// </summary>
        private int BytesWaiting()
        {
            if (_socket is null) return ((WebSocketConnectionStream)_stream).MessageUnderway ? _binding.ReadBufferSize : 0;
            try
            {
                return _socket!.Available;
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                return 1;
            }
        }

        /// <summary>
        /// A socket or WebSocket read gets an array of what is waiting, handed on as is (leased from the pool, or its
        /// own); other streams read into a pooled one that is copied from. One read at a time.
        /// </summary>
        private byte[] ReadBuffer(int waiting)
        {
            if (waiting < 0) return ArrayPool<byte>.Shared.Rent(_binding.ReadBufferSize);
            if (!_binding.LendReadBuffers) return GC.AllocateUninitializedArray<byte>(Math.Min(waiting, _binding.ReadBufferSize)); // only what is read is handed on
            _readLease = ChunkLease.Rent(Math.Min(waiting, _binding.ReadBufferSize));
            return _readLease.Array;
        }

        /// <summary>An idle socket (or WebSocket) waits with a zero-byte read, so it holds no receive buffer meanwhile.</summary>
        private async Task WaitThenReadAsync()
        {
            byte[]? buffer = null;
            try
            {
                await _stream.ReadAsync(Memory<byte>.Empty, ReadCancellation).ConfigureAwait(false);
                // At the end of the stream nothing is waiting: a small read then returns 0.
                buffer = ReadBuffer(Math.Max(BytesWaiting(), 1));
                var read = await _stream.ReadAsync(buffer, ReadCancellation).ConfigureAwait(false);
                _onCompleted(new ReadResult(read, buffer, null));
            }
            catch (Exception e)
            {
                _onCompleted(new ReadResult(0, buffer, e));
            }
        }

        private async Task FinishReadAsync(ValueTask<int> pending, byte[] buffer)
        {
            try
            {
                var read = await pending.ConfigureAwait(false);
                _onCompleted(new ReadResult(read, buffer, null));
            }
            catch (Exception e)
            {
                _onCompleted(new ReadResult(0, buffer, e));
            }
        }

        private void OnRead(ReadResult result)
        {
            _reading = false;
            var lease = _readLease;
            _readLease = null;
            var pooledCopy = result.Buffer is not null && _socket is null && !_binding.LendReadBuffers;
            if (result.Error is not null || result.Read == 0)
            {
                if (pooledCopy) ArrayPool<byte>.Shared.Return(result.Buffer!);
                lease?.Release();
                if (result.Error is null)
                {
                    Complete(_stage._out);
                    StopIfDone();
                }
                else if (result.Error is OperationCanceledException or ObjectDisposedException) CompleteStage();
                else FailStage(new IOException($"Transport read failed: {result.Error.Message}", result.Error));
                return;
            }
            _binding.Traffic.Received(result.Read);
            ByteString bytes;
            if (pooledCopy)
            {
                bytes = ByteString.CopyFrom(result.Buffer!, 0, result.Read);
                ArrayPool<byte>.Shared.Return(result.Buffer!);
            }
            else
            {
                if (lease is not null) _binding.Lender!.Lend(lease);
                bytes = ByteString.FromBytes(result.Buffer!, 0, result.Read);
            }
            if (!IsClosed(_stage._out)) Push(_stage._out, bytes);
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
                    case NetworkStream or IHalfClosable when _sender is not null:
                        Action end = _socket is not null ? () => _socket.Shutdown(SocketShutdown.Send) : ((IHalfClosable)_stream).CompleteWrites;
                        var shutdown = _sender.CloseBetweenFramesAsync("The PXP session has ended its side of the connection", end, _stop.Token);
                        if (shutdown.IsCompleted) break;
                        _ = ReportShutdownAsync(shutdown);
                        return;
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

        /// <summary>A half-close that waited for another sender's frame: the stage hears how it went.</summary>
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
            _onCompleted(new ShutdownResult(error));
        }

        private void StopIfDone()
        {
            if (IsClosed(_stage._out) && (_writesDone || IsClosed(_stage._in))) CompleteStage();
            else if (IsClosed(_stage._out) && !_writing) CompleteStage();
        }
    }
}
