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

    public static HostProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PxpActors.Host.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return new HostProcess(Process.Start(start)!);
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
            var json = JsonSerializer.Deserialize<JsonElement>(line);
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
