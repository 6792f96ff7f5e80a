using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using PxpActors.WebRtc.PeerConnections;
using PxpActors.WebRtc.Signaling;
using Xunit;

namespace PxpActors.WebRtc.Tests.Interop;

/// <summary>
/// Headless Chromium (Debian's <c>chromium</c>) pointed at <see cref="ChromiumPage"/> served by an
/// <see cref="HttpListener"/> on loopback, which is also the signalling endpoint between the page and our
/// peer connection. Disposing kills Chromium, stops the server and deletes the temporary profile.
/// </summary>
internal sealed class ChromiumHarness : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private readonly HttpListener _listener = new();
    private readonly IWebRtcPeerConnection _ours;
    private readonly Channel<string> _toPage = Channel.CreateUnbounded<string>();
    private readonly SemaphoreSlim _signalOrder = new(1, 1);
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly List<Task> _requests = [];
    private readonly List<string> _pageSignals = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly string _profile = Directory.CreateTempSubdirectory("pxp-chromium-").FullName;
    private readonly Task _serve;
    private Process? _browser;
    private TaskCompletionSource _eventArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChromiumHarness(IWebRtcPeerConnection ours)
    {
        _ours = ours;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        ours.LocalSignal += OnLocalSignal;
        _serve = ServeAsync();
    }

    public int Port { get; }

    /// <summary>Every signal the page sent us, as JSON, in order.</summary>
    public IReadOnlyList<string> PageSignals
    {
        get { lock (_pageSignals) return [.. _pageSignals]; }
    }

    /// <summary>The Chromium executable, or null (tests then report skipped).</summary>
    public static string? Executable =>
        Environment.GetEnvironmentVariable("PXP_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured)
            ? configured
            : Candidates.FirstOrDefault(File.Exists);

    /// <summary>Serves the page and starts Chromium on it; <paramref name="pageRole"/> is "offer" or "answer".</summary>
    public static ChromiumHarness Start(IWebRtcPeerConnection ours, string pageRole)
    {
        Skip.If(Executable is null, "Chromium is not installed (looked for " + string.Join(", ", Candidates) + " and $PXP_CHROMIUM).");
        var harness = new ChromiumHarness(ours);
        var start = new ProcessStartInfo(Executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", $"--user-data-dir={harness._profile}",
                     $"http://127.0.0.1:{harness.Port}/?role={pageRole}",
                 })
            start.ArgumentList.Add(argument);
        harness._browser = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        harness._browser.OutputDataReceived += (_, _) => { };
        harness._browser.ErrorDataReceived += (_, _) => { };
        harness._browser.BeginOutputReadLine();
        harness._browser.BeginErrorReadLine();
        return harness;
    }

    /// <summary>Waits for a page event (<c>channel</c>, <c>connectionState</c>, <c>error</c>) matching <paramref name="match"/>.</summary>
    public async Task<JsonObject> WaitForEventAsync(Func<JsonObject, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var arrived = Volatile.Read(ref _eventArrived).Task;
            if (_events.FirstOrDefault(match) is { } found) return found;
            if (_events.FirstOrDefault(e => (string?)e["event"] == "error") is { } error)
                throw new InvalidOperationException($"The Chromium page failed: {error["message"]}");
            try
            {
                await arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("Chromium did not report the awaited event. Events: " + string.Join(" ", _events.Select(e => e.ToJsonString())));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _ours.LocalSignal -= OnLocalSignal;
        _toPage.Writer.TryComplete();
        if (_browser is not null)
        {
            if (!_browser.HasExited) _browser.Kill(entireProcessTree: true);
            await _browser.WaitForExitAsync();
            _browser.Dispose();
        }
        await _stop.CancelAsync();
        _listener.Stop();
        await _serve;
        Task[] requests;
        lock (_requests) requests = [.. _requests];
        await Task.WhenAll(requests);
        _listener.Close();
        Directory.Delete(_profile, recursive: true);
    }

    private void OnLocalSignal(Signal signal) => _toPage.Writer.TryWrite(signal.ToJson());

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            lock (_requests)
            {
                _requests.RemoveAll(t => t.IsCompleted);
                _requests.Add(HandleAsync(context));
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            switch (context.Request.HttpMethod, context.Request.Url!.AbsolutePath)
            {
                case ("GET", "/"):
                    await WriteAsync(response, 200, "text/html", ChromiumPage.Html);
                    break;
                case ("GET", "/next"):
                    string? next = null;
                    try
                    {
                        next = await _toPage.Reader.ReadAsync(_stop.Token);
                    }
                    catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
                    {
                    }
                    if (next is null) await WriteAsync(response, 204, "text/plain", "");
                    else await WriteAsync(response, 200, "application/json", next);
                    break;
                case ("POST", "/signal"):
                    var body = await ReadBodyAsync(context.Request);
                    lock (_pageSignals) _pageSignals.Add(body);
                    await _signalOrder.WaitAsync();
                    try
                    {
                        await _ours.SignalAsync(Signal.Parse(body));
                    }
                    finally
                    {
                        _signalOrder.Release();
                    }
                    await WriteAsync(response, 200, "text/plain", "");
                    break;
                case ("POST", "/event"):
                    _events.Enqueue(JsonNode.Parse(await ReadBodyAsync(context.Request))!.AsObject());
                    Interlocked.Exchange(ref _eventArrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                    await WriteAsync(response, 200, "text/plain", "");
                    break;
                default:
                    await WriteAsync(response, 404, "text/plain", "");
                    break;
            }
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // The browser went away mid-request.
        }
        catch (Exception e)
        {
            _events.Enqueue(new JsonObject { ["event"] = "error", ["message"] = "test server: " + e.Message });
            Interlocked.Exchange(ref _eventArrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            try
            {
                await WriteAsync(response, 500, "text/plain", e.Message);
            }
            catch (Exception again) when (again is HttpListenerException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<string> ReadBodyAsync(HttpListenerRequest request)
    {
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
