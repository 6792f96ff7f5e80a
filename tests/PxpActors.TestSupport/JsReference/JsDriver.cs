using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// One <c>node driver.js</c> process running the real peer-exchange@2.2.0 (see js/driver.js for
/// the command set). Commands are typed async methods with timeouts; everything the reference
/// does is in <see cref="Events"/>. Disposing closes the driver's stdin and kills the process if
/// it has not exited promptly.
/// </summary>
public sealed class JsDriver : IAsyncDisposable
{
    /// <summary>The wait used when a caller gives none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private const int StderrLinesKept = 200;
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(3);

    private readonly Process _process;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly SemaphoreSlim _stdinLock = new(1, 1);
    private readonly Queue<string> _stderrTail = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private int _nextCommandId;
    private int _disposed;

    private JsDriver(Process process)
    {
        _process = process;
        // stderr first: the stdout pump awaits it when the process ends.
        _stderrPump = Task.Run(PumpStderrAsync);
        _stdoutPump = Task.Run(PumpStdoutAsync);
    }

    /// <summary>Every event the driver reported, in order.</summary>
    public JsEventLog Events { get; } = new();

    /// <summary>The last lines the driver wrote to stderr (node warnings, crash traces).</summary>
    public string StderrTail
    {
        get
        {
            lock (_stderrTail)
            {
                return string.Join('\n', _stderrTail);
            }
        }
    }

    /// <summary>
    /// Starts a driver. Skips the calling [SkippableFact] test when node/npm are missing; installs
    /// the pinned npm packages first (once per machine and lock file). <paramref name="debug"/> sets
    /// the reference's DEBUG namespaces (e.g. "pxp,peer-exchange"); their logs land in <see cref="StderrTail"/>.
    /// </summary>
    public static async Task<JsDriver> StartAsync(TimeSpan? timeout = null, string? debug = null)
    {
        NodeTool.SkipUnlessAvailable();
        await JsReferenceInstaller.EnsureInstalledAsync().ConfigureAwait(false);

        var start = new ProcessStartInfo(NodeTool.Node!)
        {
            WorkingDirectory = JsReferencePaths.JsDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(JsReferencePaths.DriverScript);
        if (debug is not null)
        {
            start.Environment["DEBUG"] = debug;
        }

        var process = Process.Start(start) ?? throw new JsReferenceException("node did not start");
        process.StandardInput.AutoFlush = false;

        var driver = new JsDriver(process);
        try
        {
            await driver.Events.WaitForAsync(e => e.Kind == "ready", timeout ?? DefaultTimeout, "the driver to start")
                .ConfigureAwait(false);
        }
        catch (JsReferenceException e)
        {
            var stderr = driver.StderrTail;
            await driver.DisposeAsync().ConfigureAwait(false);
            throw new JsReferenceException($"{e.Message}\nstderr:\n{stderr}", inner: e);
        }

        return driver;
    }

    /// <summary>
    /// Sends one raw command (see driver.js) and returns its reply. A reply with ok=false throws
    /// <see cref="JsReferenceException"/> whose <see cref="JsReferenceException.ReferenceError"/> is the
    /// reference's message.
    /// </summary>
    public async Task<JsonObject> SendAsync(string command, JsonObject? arguments = null, TimeSpan? timeout = null)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new JsReferenceException($"'{command}' was sent to a disposed JS driver.");
        }

        var id = Interlocked.Increment(ref _nextCommandId);
        var message = arguments?.DeepClone().AsObject() ?? [];
        message["id"] = id;
        message["cmd"] = command;
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        try
        {
            await WriteLineAsync(message.ToJsonString()).ConfigureAwait(false);
            var wait = timeout ?? DefaultTimeout;
            JsonObject result;
            try
            {
                result = await reply.Task.WaitAsync(wait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new JsReferenceException(
                    $"The JS reference did not answer '{command}' within {wait}. Last events:\n{Events.Tail(15)}");
            }

            if (result["ok"]?.GetValue<bool>() != true)
            {
                var error = result["error"]?.GetValue<string>() ?? "(no message)";
                throw new JsReferenceException($"'{command}' failed in the JS reference: {error}", error);
            }

            return result;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Creates a peer-exchange Swarm named <paramref name="name"/> in this driver.</summary>
    public async Task<JsExchange> CreateExchangeAsync(string name, string network, JsExchangeOptions? options = null)
    {
        var arguments = (options ?? new JsExchangeOptions()).ToCommand();
        arguments["name"] = name;
        arguments["network"] = network;
        var reply = await SendAsync("create", arguments).ConfigureAwait(false);
        return new JsExchange(this, name, network, reply["connectInfo"]?.DeepClone());
    }

    /// <summary>A group of bare pxp Peers (see <see cref="JsBarePeerGroup"/>); nothing runs until it connects or listens.</summary>
    public JsBarePeerGroup BarePeers(string name, IReadOnlyList<string> networks, JsonNode? connectInfo = null) =>
        new(this, name, networks, connectInfo);

    /// <summary>A plain socket to a PXP node at host:port that records everything the node writes.</summary>
    public async Task<JsCapture> CaptureConnectAsync(int port, string host = "127.0.0.1")
    {
        var reply = await SendAsync("captureConnect", new JsonObject { ["host"] = host, ["port"] = port })
            .ConfigureAwait(false);
        return new JsCapture(this, reply["capture"]!.GetValue<int>(), null);
    }

    /// <summary>A listening plain socket; the first node that connects to <see cref="JsCapture.Port"/> is recorded.</summary>
    public async Task<JsCapture> CaptureListenAsync()
    {
        var reply = await SendAsync("captureListen").ConfigureAwait(false);
        return new JsCapture(this, reply["capture"]!.GetValue<int>(), reply["port"]!.GetValue<int>());
    }

    /// <summary>The transport ("tcp", "relay", "webrtc", "stream") of a pxp peer the driver created.</summary>
    public async Task<string> PeerTransportAsync(int peer, TimeSpan? timeout = null)
    {
        var created = await Events.WaitForAsync(
            e => e.Kind == "peerCreated" && e.Peer == peer, timeout ?? DefaultTimeout, $"peer {peer} to be created")
            .ConfigureAwait(false);
        return created.Body["transport"]!.GetValue<string>();
    }

    /// <summary>
    /// SIGKILL to the node process, as a crash or <c>kill -9</c> would end it: no FIN, no close frames, nothing
    /// flushed. Its sockets are closed by the kernel. Disposal afterwards only collects it.
    /// </summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(ExitGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_stdoutPump, _stderrPump).ConfigureAwait(false);
        // _stdinLock is left to the GC: a late SendAsync must still fail with our exception, not ObjectDisposedException.
        _process.Dispose();
    }

    /// <summary>A handle on the connection a "connection" event announced.</summary>
    public JsConnection ConnectionFrom(JsEvent connectionEvent) =>
        connectionEvent.Kind == "connection"
            ? new JsConnection(this, connectionEvent.Exchange, connectionEvent.Conn!.Value, connectionEvent.Peer)
            : throw new ArgumentException($"Not a connection event: {connectionEvent}", nameof(connectionEvent));

    internal JsConnection Connection(string? exchange, JsonObject reply) =>
        new(this, exchange, reply["conn"]!.GetValue<int>(), reply["peer"]?.GetValue<int>());

    private async Task WriteLineAsync(string line)
    {
        await _stdinLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_process.HasExited)
            {
                throw new JsReferenceException($"The JS driver has exited. stderr:\n{StderrTail}");
            }

            await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            throw new JsReferenceException($"The JS driver's stdin is closed. stderr:\n{StderrTail}", inner: e);
        }
        finally
        {
            _stdinLock.Release();
        }
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                Dispatch(line);
            }
        }
        catch (IOException)
        {
            // The pipe broke: same as the end of output.
        }

        await _stderrPump.ConfigureAwait(false);
        var reason = new JsReferenceException($"The JS driver exited. stderr:\n{StderrTail}");
        Events.End(reason);
        foreach (var waiting in _pending.Values)
        {
            waiting.TrySetException(reason);
        }
    }

    private void Dispatch(string line)
    {
        JsonObject? message;
        try
        {
            message = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            message = null;
        }

        if (message is null)
        {
            Events.Append("unparsedOutput", new JsonObject { ["event"] = "unparsedOutput", ["text"] = line });
            return;
        }

        if (message["id"] is { } id)
        {
            if (_pending.TryGetValue(id.GetValue<int>(), out var waiting))
            {
                waiting.TrySetResult(message);
            }

            return;
        }

        Events.Append(message["event"]?.GetValue<string>() ?? "unknown", message);
    }

    private async Task PumpStderrAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (_stderrTail)
                {
                    _stderrTail.Enqueue(line);
                    if (_stderrTail.Count > StderrLinesKept)
                    {
                        _stderrTail.Dequeue();
                    }
                }
            }
        }
        catch (IOException)
        {
            // The pipe broke: nothing more to keep.
        }
    }
}
