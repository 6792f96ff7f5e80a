using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PxpActors.TestSupport.JsReference;
using PxpActors.WebRtc.Signaling;

namespace PxpActors.TestSupport.Wrtc;

/// <summary>
/// One libwebrtc RTCPeerConnection in its own <c>node js-wrtc/driver.js</c> process, driven over JSON
/// lines. Commands are typed async methods with timeouts; every event libwebrtc reported is kept in
/// order, so a wait also sees events that happened before it started. Disposing closes the driver's
/// stdin and kills the process if it does not exit promptly.
/// </summary>
public sealed partial class WrtcPeer : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(3);
    private const int StderrLinesKept = 100;

    private readonly Process _process;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly ConcurrentDictionary<int, bool> _renewals = new(); // ids of pending renew commands
    private readonly SemaphoreSlim _stdinLock = new(1, 1);
    private readonly List<JsonObject> _events = [];
    private readonly Queue<string> _stderrTail = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private TaskCompletionSource _eventArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;
    private int _disposed;
    private bool _driverExited; // guarded by _events

    private WrtcPeer(Process process)
    {
        _process = process;
        _stderrPump = Task.Run(PumpStderrAsync);
        _stdoutPump = Task.Run(PumpStdoutAsync);
    }

    /// <summary>
    /// Installs the pinned @roamhq/wrtc (once), starts a driver and creates its peer connection; an
    /// offerer also creates a data channel so its offer has an <c>m=application</c> section.
    /// Skips the calling [SkippableFact] when node or npm is missing.
    /// </summary>
    public static async Task<WrtcPeer> StartAsync(WrtcRole role, string label = "pxp")
    {
        NodeTool.SkipUnlessAvailable();
        await WrtcInstaller.EnsureInstalledAsync().ConfigureAwait(false);
        var start = new ProcessStartInfo(NodeTool.Node!)
        {
            WorkingDirectory = WrtcPaths.Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(WrtcPaths.DriverScript);
        var peer = new WrtcPeer(Process.Start(start) ?? throw new WrtcException("node did not start"));
        try
        {
            await peer.CommandAsync(new JsonObject
            {
                ["cmd"] = "create",
                ["role"] = RoleName(role),
                ["label"] = label,
            }).ConfigureAwait(false);
            return peer;
        }
        catch
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Closes the peer connection and creates a fresh one in the same driver process, so libwebrtc's
    /// start-up work (its threads, the first of everything) is behind it, as in a long-running
    /// application. The old connection's events are forgotten; the old one reports nothing more.
    /// </summary>
    public async Task RenewAsync(WrtcRole role, string label = "pxp")
    {
        var command = new JsonObject { ["cmd"] = "renew", ["role"] = RoleName(role), ["label"] = label };
        await CommandAsync(command, renewal: true).ConfigureAwait(false);
    }

    /// <summary>The last lines node wrote to stderr, for failure messages.</summary>
    public string StderrTail
    {
        get { lock (_stderrTail) return string.Join('\n', _stderrTail); }
    }

    /// <summary>Every <c>connectionState</c> libwebrtc went through, in order.</summary>
    public IReadOnlyList<string> ConnectionStates
    {
        get
        {
            lock (_events)
                return _events.Where(e => Name(e) == "connectionState").Select(e => (string)e["state"]!).ToList();
        }
    }

    /// <summary>createOffer + setLocalDescription; returns the local description's SDP.</summary>
    public async Task<string> CreateOfferAsync() =>
        (string)(await CommandAsync(new JsonObject { ["cmd"] = "createOffer" }).ConfigureAwait(false))["sdp"]!;

    /// <summary>createAnswer + setLocalDescription; returns the local description's SDP.</summary>
    public async Task<string> CreateAnswerAsync() =>
        (string)(await CommandAsync(new JsonObject { ["cmd"] = "createAnswer" }).ConfigureAwait(false))["sdp"]!;

    public Task SetRemoteDescriptionAsync(SessionDescriptionType type, string sdp) =>
        CommandAsync(new JsonObject
        {
            ["cmd"] = "setRemoteDescription",
            ["type"] = type == SessionDescriptionType.Offer ? "offer" : "answer",
            ["sdp"] = sdp,
        });

    public Task AddIceCandidateAsync(IceCandidateInit candidate) =>
        CommandAsync(new JsonObject
        {
            ["cmd"] = "addIceCandidate",
            ["candidate"] = new JsonObject
            {
                ["candidate"] = candidate.Candidate,
                ["sdpMLineIndex"] = candidate.SdpMLineIndex,
                ["sdpMid"] = candidate.SdpMid,
            },
        });

    public async Task<WrtcCertificates> GetCertificatesAsync()
    {
        var reply = await CommandAsync(new JsonObject { ["cmd"] = "certificates" }).ConfigureAwait(false);
        return new WrtcCertificates(
            (string?)reply["local"]?["algorithm"], (string?)reply["local"]?["fingerprint"],
            (string?)reply["remote"]?["algorithm"], (string?)reply["remote"]?["fingerprint"],
            (string?)reply["dtlsState"]);
    }

    /// <summary>
    /// The local candidates gathered so far, from <paramref name="skip"/> on, in the order libwebrtc
    /// produced them; waits for the next one when none is new. Null means gathering completed.
    /// </summary>
    public async Task<IceCandidateInit?> NextCandidateAsync(int skip, TimeSpan? timeout = null)
    {
        var candidateEvent = await WaitForEventAsync(
            events => events.Where(e => Name(e) == "candidate").Skip(skip).FirstOrDefault(), timeout).ConfigureAwait(false);
        var candidate = candidateEvent["candidate"];
        return candidate is null
            ? null
            : new IceCandidateInit((string)candidate["candidate"]!, (int?)candidate["sdpMLineIndex"], (string?)candidate["sdpMid"]);
    }

    /// <summary>Waits until <c>connectionState</c> reaches one of <paramref name="states"/>; returns which.</summary>
    public async Task<string> WaitForConnectionStateAsync(TimeSpan? timeout, params string[] states)
    {
        var reached = await WaitForEventAsync(
            events => events.FirstOrDefault(e => Name(e) == "connectionState" && states.Contains((string?)e["state"])),
            timeout).ConfigureAwait(false);
        return (string)reached["state"]!;
    }

    /// <summary>
    /// Waits until libwebrtc's DTLS transport (getStats dtlsState) is in one of <paramref name="states"/>;
    /// returns which. Fails with <see cref="WrtcException"/> when it is not within the timeout.
    /// </summary>
    public async Task<string> WaitForDtlsStateAsync(TimeSpan? timeout, params string[] states)
    {
        var wait = timeout ?? DefaultTimeout;
        var reply = await CommandAsync(new JsonObject
        {
            ["cmd"] = "waitForDtlsState",
            ["states"] = new JsonArray(states.Select(s => (JsonNode)s).ToArray()),
            ["timeoutMs"] = (long)wait.TotalMilliseconds,
        }, wait + TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        return (string)reply["dtlsState"]!;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Already gone.
        }
        using (var grace = new CancellationTokenSource(ExitGrace))
        {
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        await Task.WhenAll(_stdoutPump, _stderrPump).ConfigureAwait(false);
        _process.Dispose();
        _stdinLock.Dispose();
    }

    private async Task<JsonObject> CommandAsync(JsonObject command, TimeSpan? timeout = null, bool renewal = false)
    {
        var id = Interlocked.Increment(ref _nextId);
        command["id"] = id;
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (renewal) _renewals[id] = true;
        _pending[id] = reply;
        await _stdinLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _process.StandardInput.WriteLineAsync(command.ToJsonString()).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _stdinLock.Release();
        }
        JsonObject result;
        try
        {
            result = await reply.Task.WaitAsync(timeout ?? DefaultTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _pending.TryRemove(id, out _);
            _renewals.TryRemove(id, out _);
            throw new WrtcException($"libwebrtc driver did not answer '{command["cmd"]}' in time. stderr:\n{StderrTail}");
        }
        if (result["ok"]?.GetValue<bool>() != true)
        {
            var error = (string?)result["error"] ?? "unknown error";
            throw new WrtcException($"libwebrtc rejected '{command["cmd"]}': {error}", error);
        }
        return result;
    }

    private async Task<JsonObject> WaitForEventAsync(Func<IReadOnlyList<JsonObject>, JsonObject?> find, TimeSpan? timeout)
    {
        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            Task arrived;
            lock (_events)
            {
                if (find(_events) is { } found) return found;
                if (_driverExited)
                    throw new WrtcException($"The libwebrtc driver exited. stderr:\n{StderrTail}");
                arrived = _eventArrived.Task;
            }
            try
            {
                await arrived.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                string seen;
                lock (_events) seen = string.Join('\n', _events.Select(e => e.ToJsonString()));
                throw new WrtcException($"Timed out waiting for a libwebrtc event. Events so far:\n{seen}\nstderr:\n{StderrTail}");
            }
        }
    }

    private async Task PumpStdoutAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (JsonNode.Parse(line) is not JsonObject message) continue;
                if (message["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var reply))
                {
                    // Everything before a renewal's reply was the old connection's; nothing after it is.
                    if (_renewals.TryRemove(id.GetValue<int>(), out _))
                        lock (_events) _events.Clear();
                    reply.TrySetResult(message);
                    continue;
                }
                lock (_events)
                {
                    _events.Add(message);
                    _eventArrived.TrySetResult();
                    _eventArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
        catch (JsonException)
        {
            // A corrupt line ends the conversation; waits report the exit.
        }
        finally
        {
            foreach (var pending in _pending.Values)
                pending.TrySetException(new WrtcException($"The libwebrtc driver exited. stderr:\n{StderrTail}"));
            lock (_events)
            {
                _driverExited = true;
                _eventArrived.TrySetResult();
            }
        }
    }

    private async Task PumpStderrAsync()
    {
        while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(line);
                if (_stderrTail.Count > StderrLinesKept) _stderrTail.Dequeue();
            }
        }
    }

    private static string RoleName(WrtcRole role) => role == WrtcRole.Offerer ? "offerer" : "answerer";

    private static string? Name(JsonObject e) => (string?)e["event"];
}
