using System.Net;
using System.Net.Sockets;
using Akka.Streams;
using Akka.Streams.Dsl;
using PxpActors.Protocol.Framing;
using PxpActors.Carriers;
using PxpActors.Carriers.Pipes;
using PxpActors.Multiplexing;

namespace PxpActors.Tests.SocketSessions;

/// <summary>
/// Our multiplexer on a real loopback socket, joined to its transport as a session joins them (the transport's
/// sender shared, read buffers lent), and a bare socket as the peer, read and written frame by frame by the test. The
/// transport is the stream carrier, or the Pipelines one (<see cref="StartOverPipeAsync"/>).
/// </summary>
internal sealed class SocketMultiplexerPair : IAsyncDisposable
{
    private readonly Socket _peer;
    private readonly NetworkStream _peerStream;
    private readonly FrameDecoder _decoder = new(int.MaxValue);
    private readonly Queue<Frame> _decoded = new();
    private readonly byte[] _readBuffer = new byte[256 * 1024];

    private readonly StreamCarrierStage? _transport;
    private Task? _oursDisposed;

    private SocketMultiplexerPair(IMultiplexer mux, StreamCarrierStage? transport, SharedFrameWriter sender, Socket peer)
    {
        Mux = mux;
        _transport = transport;
        Sender = sender;
        _peer = peer;
        _peerStream = new NetworkStream(peer, ownsSocket: true);
    }

    public IMultiplexer Mux { get; }

    public StreamCarrierStage Transport => _transport ?? throw new InvalidOperationException("The pair runs on the pipe carrier");

    /// <summary>The transport's shared frame writer (the multiplexer's direct route).</summary>
    public SharedFrameWriter Sender { get; }

    public static async Task<SocketMultiplexerPair> StartAsync(IMaterializer materializer, MultiplexerSettings settings,
        TimeSpan? writeTimeout = null)
    {
        var (ours, peer) = await ConnectedSocketsAsync();
        var transport = new StreamCarrierStage(new NetworkStream(ours, ownsSocket: true), writeTimeout, lendReadBuffers: true);
        var mux = Flow.FromGraph(new MultiplexerStage(settings, exchangeMagic: false, transport.Sender, transport.Lender))
            .JoinMaterialized(Flow.FromGraph(transport), Keep.Left)
            .Run(materializer);
        return new SocketMultiplexerPair(mux, transport, transport.Sender!, peer);
    }

    /// <summary>As <see cref="StartAsync"/>, on the System.IO.Pipelines carrier (Carriers/Pipes).</summary>
    public static async Task<SocketMultiplexerPair> StartOverPipeAsync(IMaterializer materializer, MultiplexerSettings settings,
        TimeSpan? writeTimeout = null)
    {
        var (ours, peer) = await ConnectedSocketsAsync();
        var stream = new DisposalNotingStream(ours);
        var binding = new PipeCarrierBinding(stream, writeTimeout);
        var mux = Flow.FromGraph(new MultiplexerStage(settings, exchangeMagic: false, binding.Sender, binding.Chunks))
            .JoinMaterialized(Flow.FromGraph(PipeCarrierStage.Over(binding)), Keep.Left)
            .Run(materializer);
        return new SocketMultiplexerPair(mux, transport: null, binding.Sender, peer) { _oursDisposed = stream.Disposed };
    }

    private static async Task<(Socket Ours, Socket Peer)> ConnectedSocketsAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var ours = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accepting = listener.AcceptAsync();
        await ours.ConnectAsync(listener.LocalEndPoint!);
        return (ours, await accepting);
    }

    /// <summary>Completes once our end's socket stream is disposed (pipe pairs only).</summary>
    public Task OursDisposed => _oursDisposed ?? throw new InvalidOperationException("Only a pipe pair notes its disposal");

    /// <summary>Bytes as they are, frames or not.</summary>
    public Task SendRawAsync(byte[] bytes) => _peerStream.WriteAsync(bytes).AsTask();

    /// <summary>The peer half-closes: our end reads the end of the stream.</summary>
    public void ClosePeerWrites() => _peer.Shutdown(SocketShutdown.Send);

    public Task SendAsync(params Frame[] frames) => _peerStream.WriteAsync(frames.SelectMany(f => f.ToArray()).ToArray()).AsTask();

    /// <summary>The next frame the multiplexer wrote, whole.</summary>
    public async Task<Frame> NextFrameAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (_decoded.Count == 0)
        {
            var read = await _peerStream.ReadAsync(_readBuffer, cancel.Token);
            if (read == 0) throw new EndOfStreamException("The multiplexer closed the connection");
            _decoder.Decode(_readBuffer.AsSpan(0, read), _decoded.Enqueue);
        }
        return _decoded.Dequeue();
    }

    /// <summary>Frames until (and with) the first that matches <paramref name="last"/>.</summary>
    public async Task<List<Frame>> FramesUntilAsync(Func<Frame, bool> last, TimeSpan timeout)
    {
        var frames = new List<Frame>();
        while (true)
        {
            var frame = await NextFrameAsync(timeout);
            frames.Add(frame);
            if (last(frame)) return frames;
        }
    }

    /// <summary>Completes when the multiplexer's side of the connection is closed (end of stream or reset).</summary>
    public async Task WaitForCloseAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await _peerStream.ReadAsync(_readBuffer, cancel.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // reset: closed too
        }
    }

    public ValueTask DisposeAsync()
    {
        _peerStream.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Our end's socket stream, noting when the carrier disposes it.</summary>
    private sealed class DisposalNotingStream(Socket socket) : NetworkStream(socket, ownsSocket: true)
    {
        private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Disposed => _disposed.Task;

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            _disposed.TrySetResult();
        }
    }
}
