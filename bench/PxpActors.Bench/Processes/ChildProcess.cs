using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace PxpActors.Bench.Processes;

/// <summary>
/// A helper process spoken to in lines: commands on its stdin, one JSON object per reply on its stdout.
/// A reply of the form {"error": "..."} becomes an exception. Disposal asks it to exit, then kills it
/// (this process and its children only) if it does not.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int StderrKeptChars = 4000;
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly string _name;

    private ChildProcess(string name, Process process)
    {
        _name = name;
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                // Keep the tail only: a chatty child must not grow our memory.
                _stderr.AppendLine(e.Data);
                if (_stderr.Length > StderrKeptChars) _stderr.Remove(0, _stderr.Length - StderrKeptChars);
            }
        };
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public static ChildProcess Start(string name, ProcessStartInfo start)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        return new ChildProcess(name, process);
    }

    /// <summary>This very program, started again in a child role.</summary>
    public static ProcessStartInfo Self(params string[] args)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The bench cannot find its own executable");
        var start = new ProcessStartInfo(host);
        // Under "dotnet PxpActors.Bench.dll" the host is dotnet itself and needs the assembly.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync().ConfigureAwait(false);
    }

    public async Task<JsonObject> ReadReplyAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            string? line;
            try
            {
                line = await _process.StandardOutput.ReadLineAsync(cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{_name} sent no reply within {timeout.TotalSeconds:0} s.{StderrTail()}");
            }
            if (line is null) throw new InvalidOperationException($"{_name} exited before replying.{StderrTail()}");
            if (!line.StartsWith('{')) continue; // a stray log line is not a reply
            var reply = JsonNode.Parse(line)?.AsObject() ?? throw new InvalidOperationException($"{_name} replied {line}");
            if (reply["error"] is { } error) throw new InvalidOperationException($"{_name}: {error}{StderrTail()}");
            return reply;
        }
    }

    public async Task<JsonObject> RequestAsync(string line, TimeSpan timeout)
    {
        await SendAsync(line).ConfigureAwait(false);
        return await ReadReplyAsync(timeout).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) await SendAsync("exit").ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Its stdin is already gone: it is exiting anyway.
        }
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        _process.Dispose();
    }

    private string StderrTail()
    {
        lock (_stderr) return _stderr.Length == 0 ? "" : $" Its stderr ends with:\n{_stderr}";
    }
}
