using System.Diagnostics;

namespace PxpActors.TestSupport.Processes;

/// <summary>What a command that ran to its end left: its exit code and everything it printed.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Output, string Errors)
{
    /// <summary>One message for a failed assertion: the command, how it ended, and its output.</summary>
    public string Describe() => $"{CommandLine} exited {ExitCode}:\n{Output}\n{Errors}";
}

/// <summary>
/// Runs a program to its end with both outputs captured. A command that outlives its timeout is killed with
/// its whole process tree (npm and dotnet start children) before <see cref="TimeoutException"/> is thrown.
/// </summary>
public static class Command
{
    /// <summary>Runs <paramref name="file"/> in <paramref name="directory"/> and returns how it ended, whatever its exit code.</summary>
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> arguments, string directory, TimeSpan timeout)
    {
        var commandLine = $"{file} {string.Join(' ', arguments)}";
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{commandLine} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{commandLine} did not finish within {timeout}");
        }
        return new CommandResult(commandLine, process.ExitCode, await output.ConfigureAwait(false), await errors.ConfigureAwait(false));
    }

    /// <summary>As <see cref="RunAsync"/>, and fails the test unless the command exits 0; returns its standard output.</summary>
    public static async Task<string> RunToSuccessAsync(string file, IEnumerable<string> arguments, string directory, TimeSpan timeout)
    {
        var result = await RunAsync(file, arguments, directory, timeout).ConfigureAwait(false);
        Assert.True(result.ExitCode == 0, result.Describe());
        return result.Output;
    }
}
