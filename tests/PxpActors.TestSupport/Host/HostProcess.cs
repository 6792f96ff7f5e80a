using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using PxpActors.TestSupport.Soak;

namespace PxpActors.TestSupport.Host;

/// <summary>
/// The standalone host (src/PxpActors.Host) as a child process: its JSON events read line by line, the peer count
/// they report, and samples of what it holds from /proc. The built PxpActors.Host.dll is found next to the
/// running assembly (a project that starts it references the host project). Disposal kills it.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private const int StderrKeptChars = 16 * 1024;
    private readonly Process _process;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly StringBuilder _stderr = new();
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private readonly List<string> _notJson = [];
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private int _peers;
    private long _dataEvents;

    private HostProcess(Process process)
    {
        _process = process;
        _stdoutPump = Task.Run(PumpEventsAsync);
        _stderrPump = Task.Run(PumpStderrAsync);
    }

    public static string HostDll => Path.Combine(AppContext.BaseDirectory, "PxpActors.Host.dll");

    /// <summary>Starts <c>dotnet PxpActors.Host.dll <paramref name="args"/></c>.</summary>
    public static HostProcess Start(params string[] args) => Start(fileLimit: null, args);

    /// <summary>
    /// Starts the host; with <paramref name="fileLimit"/>, through <c>bash -c 'ulimit -n N; exec dotnet ...'</c>, so
    /// the host itself (same pid, thanks to exec) runs with that many file descriptors at most.
    /// </summary>
    public static HostProcess Start(int? fileLimit, params string[] args)
    {
        ProcessStartInfo start;
        if (fileLimit is { } limit)
        {
            start = new ProcessStartInfo("bash");
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"ulimit -n {limit} && exec dotnet \"$@\"");
            start.ArgumentList.Add("bash"); // $0
        }
        else start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(HostDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        return new HostProcess(Process.Start(start) ?? throw new InvalidOperationException("the host did not start"));
    }

    /// <summary>Starts the host as an installed program (the <c>pxp</c> dotnet tool) rather than from the build output.</summary>
    public static HostProcess StartProgram(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return new HostProcess(Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start"));
    }

    public int Id => _process.Id;

    /// <summary>
    /// Peers the host holds: its peer events less its disconnect events. Counted, not taken from the events' own
    /// "peers" figure, because the host prints events from several threads and a stale figure can come last.
    /// </summary>
    public int Peers => Volatile.Read(ref _peers);

    /// <summary>How many data events the host printed.</summary>
    public long DataEvents => Interlocked.Read(ref _dataEvents);

    /// <summary>
    /// Whether data events are kept for <see cref="NextEventAsync"/> (the default) or only counted: an echoing host
    /// under load prints megabytes of them.
    /// </summary>
    public bool KeepsDataEvents { get; set; } = true;

    public bool HasExited => _process.HasExited;

    /// <summary>Lines the host printed that were not JSON (with --json there must be none).</summary>
    public IReadOnlyList<string> LinesNotJson
    {
        get
        {
            lock (_notJson) return [.. _notJson];
        }
    }

    /// <summary>A field of the host's /proc status in KiB, for example VmRSS (resident now) or VmHWM (its peak so far).</summary>
    public long StatusKiB(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>What the host wrote on stderr (its last 16 KiB); complete once <see cref="WaitForExitAsync"/> returned.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>What the host holds now, from /proc; <see cref="HostExitedException"/> if it is gone.</summary>
    public ProcessSample Sample()
    {
        try
        {
            if (!_process.HasExited) return ProcessSample.Read(_process.Id);
        }
        catch (IOException) when (_process.HasExited)
        {
            // It exited while we read.
        }
        throw new HostExitedException($"the host (pid {_process.Id}) exited with {_process.ExitCode}; its stderr:\n{StandardError}");
    }

    /// <summary>The next JSON event whose "event" is <paramref name="name"/> (others are skipped).</summary>
    public Task<JsonElement> NextEventAsync(string name, TimeSpan? timeout = null) => NextEventAsync([name], timeout);

    /// <summary>The next JSON event whose "event" is one of <paramref name="names"/> (others are skipped).</summary>
    public async Task<JsonElement> NextEventAsync(IReadOnlyCollection<string> names, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            JsonElement json;
            try
            {
                json = await _events.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException($"The host exited before a \"{string.Join("\" or \"", names)}\" event. stderr:\n{StandardError}");
            }
            if (names.Contains(json.GetProperty("event").GetString()!)) return json;
        }
    }

    /// <summary>The next line of stdout that is not a JSON event (a log or status line) and matches <paramref name="match"/>.</summary>
    public async Task<string> NextLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            string line;
            try
            {
                line = await _lines.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException($"The host exited before the line awaited. stderr:\n{StandardError}");
            }
            if (match(line)) return line;
        }
    }

    /// <summary>The address of the host's listening event.</summary>
    public async Task<Uri> ListeningAsync(TimeSpan? timeout = null) =>
        new((await NextEventAsync("listening", timeout).ConfigureAwait(false)).GetProperty("url").GetString()!);

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        await Task.WhenAll(_stdoutPump, _stderrPump).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM: the host closes every connection, prints "closed" and exits 0.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>SIGINT (Ctrl+C): as SIGTERM.</summary>
    public void Interrupt() => Signal("INT");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()])!;
        kill.WaitForExit();
    }

    private async Task PumpEventsAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                JsonElement json;
                try
                {
                    json = JsonSerializer.Deserialize<JsonElement>(line);
                }
                catch (JsonException)
                {
                    lock (_notJson) _notJson.Add(line); // not one of the --json events (a log or status line, --help)
                    _lines.Writer.TryWrite(line);
                    continue;
                }
                if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("event", out var kind)) continue;
                switch (kind.GetString())
                {
                    case "data":
                        Interlocked.Increment(ref _dataEvents);
                        if (!KeepsDataEvents) continue;
                        break;
                    case "peer":
                        Interlocked.Increment(ref _peers);
                        break;
                    case "disconnect":
                        Interlocked.Decrement(ref _peers);
                        break;
                }
                _events.Writer.TryWrite(json);
            }
        }
        finally
        {
            _events.Writer.TryComplete();
            _lines.Writer.TryComplete();
        }
    }

    private async Task PumpStderrAsync()
    {
        var buffer = new char[4096];
        int read;
        while ((read = await _process.StandardError.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (_stderr)
            {
                _stderr.Append(buffer, 0, read);
                if (_stderr.Length > StderrKeptChars) _stderr.Remove(0, _stderr.Length - StderrKeptChars);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        await Task.WhenAll(_stdoutPump, _stderrPump).ConfigureAwait(false);
        _process.Dispose();
    }
}

/// <summary>The host process is gone (crashed or killed) while a test or the soak still needed it.</summary>
public sealed class HostExitedException(string message) : Exception(message);
