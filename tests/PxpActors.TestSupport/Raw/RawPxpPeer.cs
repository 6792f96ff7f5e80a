using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using PxpActors.Protocol.Rpc;
using PxpActors.Protocol.Rpc.Messages;

namespace PxpActors.TestSupport.Raw;

/// <summary>
/// A hand-driven PXP peer on a real TCP socket: tests write any bytes they like (valid or not) and read
/// what the node under test sends back, decoded with our codec. It never answers on its own.
/// </summary>
public sealed class RawPxpPeer : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly IDisposable _owner;
    private readonly Stream _stream;
    private readonly Channel<PxpMessage> _messages = Channel.CreateUnbounded<PxpMessage>();
    private readonly Channel<(string Substream, byte[] Data)> _data = Channel.CreateUnbounded<(string, byte[])>();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<uint, string> _remoteNames = [];
    // Channels the node opened toward us and has not ended or reset yet (read under the lock: the reader thread writes).
    private readonly Dictionary<uint, string> _openFromNode = [];
    private readonly Task? _reader;
    private long _nonce;

    private RawPxpPeer(IDisposable owner, Stream stream, bool read)
    {
        _owner = owner;
        _stream = stream;
        if (read) _reader = Task.Run(ReadLoop);
    }

    /// <summary>Speaks over any duplex stream (for example the far end of a relay).</summary>
    public static RawPxpPeer Over(Stream stream) => new(stream, stream, read: true);

    /// <summary>Connects to <paramref name="address"/>; with <paramref name="read"/> false it never reads (a stuck peer).</summary>
    public static async Task<RawPxpPeer> ConnectAsync(Uri address, bool read = true)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(address.Host, address.Port);
        return new RawPxpPeer(client, client.GetStream(), read);
    }

    /// <summary>Completes when the node closed the connection (end of stream or reset).</summary>
    public Task Closed => _closed.Task;

    public Task SendAsync(ReadOnlyMemory<byte> bytes) => _stream.WriteAsync(bytes).AsTask();

    /// <summary>Ends our direction only (TCP half-close): the node reads end of stream and can still write.</summary>
    public void EndSending()
    {
        if (_owner is TcpClient client) client.Client.Shutdown(SocketShutdown.Send);
        else throw new InvalidOperationException("Half-close needs a TCP peer");
    }

    public Task SendFrameAsync(uint channel, FrameType type, ReadOnlyMemory<byte> payload) =>
        SendAsync(new Frame(channel, type, payload).ToArray());

    /// <summary>Magic, open channel 0 as "pxp", and hello for <paramref name="network"/>.</summary>
    public async Task StartSessionAsync(string network, ConnectInfo? connectInfo = null, long version = 1,
        bool acceptsIncoming = true)
    {
        await SendAsync(PxpMagic.Bytes.ToArray());
        await SendFrameAsync(0, FrameType.Open, "pxp"u8.ToArray());
        var info = acceptsIncoming ? connectInfo ?? ConnectInfo.Accepting : null;
        await SendRpcAsync(new Hello(NextNonce(), version, info, [network]));
    }

    /// <summary>One RPC line on our channel 0 (the "pxp" channel opened by <see cref="StartSessionAsync"/>).</summary>
    public Task SendRpcAsync(PxpMessage message) => SendLineAsync(RpcCodec.Encode(message));

    public Task SendLineAsync(byte[] line) => SendFrameAsync(0, FrameType.DataFromCreator, line);

    public Task SendLineAsync(string json) => SendLineAsync(Encoding.UTF8.GetBytes(json + "\n"));

    public string NextNonce() => Nonce.Format(_nonce++);

    /// <summary>The next RPC message from the node that matches, skipping others.</summary>
    public async Task<T> ReceiveAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null) where T : PxpMessage
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            PxpMessage message;
            try
            {
                message = await _messages.Reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No {typeof(T).Name} from the node within {(timeout ?? DefaultTimeout).TotalSeconds} s");
            }
            catch (ChannelClosedException)
            {
                throw new IOException($"The node closed the connection before sending a {typeof(T).Name}");
            }
            if (message is T typed && (match is null || match(typed))) return typed;
        }
    }

    /// <summary>The next data the node sent on substream <paramref name="name"/>.</summary>
    public async Task<byte[]> ReceiveDataAsync(string name, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var (substream, data) = await _data.Reader.ReadAsync(cts.Token);
            if (substream == name) return data;
        }
    }

    /// <summary>The names of the substreams the node opened toward us and has not ended (or reset) yet.</summary>
    public IReadOnlyList<string> OpenSubstreamsFromNode()
    {
        lock (_openFromNode) return _openFromNode.Values.ToList();
    }

    /// <summary>How many substreams the node has opened toward us so far, ended or not.</summary>
    public int SubstreamsOpenedByNode { get; private set; }

    public async Task WaitClosedAsync(TimeSpan? timeout = null) => await Closed.WaitAsync(timeout ?? DefaultTimeout);

    private async Task ReadLoop()
    {
        var magic = new MagicMatcher();
        var frames = new FrameDecoder(16 * 1024 * 1024);
        var lines = new LineDecoder(16 * 1024 * 1024);
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer)) > 0)
            {
                var span = buffer.AsSpan(0, read);
                span = span[magic.Consume(span)..];
                frames.Decode(span, frame => OnFrame(frame, lines));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or PxpProtocolException)
        {
            // The node closed or reset the connection, or sent something we cannot parse: either way it is over.
        }
        finally
        {
            _messages.Writer.TryComplete();
            _data.Writer.TryComplete();
            _closed.TrySetResult();
        }
    }

    private void OnFrame(Frame frame, LineDecoder lines)
    {
        switch (frame.Type)
        {
            case FrameType.Open:
                _remoteNames[frame.Channel] = Encoding.UTF8.GetString(frame.Payload.Span);
                lock (_openFromNode) _openFromNode[frame.Channel] = _remoteNames[frame.Channel];
                SubstreamsOpenedByNode++;
                break;
            case FrameType.EndFromCreator or FrameType.ErrorFromCreator:
                lock (_openFromNode) _openFromNode.Remove(frame.Channel);
                break;
            case FrameType.DataFromCreator when _remoteNames.GetValueOrDefault(frame.Channel) == "pxp":
                lines.Decode(frame.Payload.Span, line => _messages.Writer.TryWrite(RpcCodec.Decode(line)));
                break;
            case FrameType.DataFromCreator:
                _data.Writer.TryWrite((_remoteNames.GetValueOrDefault(frame.Channel) ?? "?", frame.Payload.ToArray()));
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _owner.Dispose();
        if (_reader is not null) await _reader;
    }
}
