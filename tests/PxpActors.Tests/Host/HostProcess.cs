using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace PxpActors.Tests.Host;

/// <summary>The standalone host (src/PxpActors.Host) run as a real process, its stdout read line by line.</summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly Task _pump;
    private readonly List<string> _notJson = [];

    private HostProcess(Process process)
    {
        _process = process;
        _pump = Task.Run(async () =>
        {
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync()) is not null) _lines.Writer.TryWrite(line);
            _lines.Writer.TryComplete();
        });
    }

    public static HostProcess Start(params string[] args) => Start(openFileLimit: null, args);

    /// <summary>Starts the host with its open-file limit (soft and hard) lowered to <paramref name="openFileLimit"/>.</summary>
    public static HostProcess Start(int? openFileLimit, params string[] args)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "PxpActors.Host.dll");
        var start = new ProcessStartInfo(openFileLimit is null ? "dotnet" : "bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (openFileLimit is { } limit)
        {
            // exec: the host is this process, so killing it kills the host.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"ulimit -n {limit} && exec dotnet \"$0\" \"$@\"");
        }
        start.ArgumentList.Add(host);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return new HostProcess(Process.Start(start)!);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Lines read so far that were not JSON (with --json there must be none).</summary>
    public IReadOnlyList<string> LinesNotJson
    {
        get
        {
            lock (_notJson) return [.. _notJson];
        }
    }

    /// <summary>A field of the host's /proc status in KiB, for example VmRSS (resident now) or VmHWM (the peak).</summary>
    public long StatusKiB(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]);
    }

    public int Id => _process.Id;

    public string StandardError => _process.StandardError.ReadToEnd();

    /// <summary>The next JSON event line whose "event" is <paramref name="name"/> (others are skipped).</summary>
    public async Task<JsonElement> NextEventAsync(string name, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var line = await _lines.Reader.ReadAsync(cts.Token);
            JsonElement json;
            try
            {
                json = JsonSerializer.Deserialize<JsonElement>(line);
            }
            catch (JsonException)
            {
                lock (_notJson) _notJson.Add(line);
                continue;
            }
            if (json.GetProperty("event").GetString() == name) return json;
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString()])!.WaitForExit();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        await _pump;
        _process.Dispose();
    }
}
