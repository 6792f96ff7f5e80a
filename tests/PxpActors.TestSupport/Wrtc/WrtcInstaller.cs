using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using PxpActors.TestSupport.JsReference;

namespace PxpActors.TestSupport.Wrtc;

/// <summary>
/// Runs <c>npm ci</c> in the js-wrtc folder once per lock file. Test processes may start together, so the
/// install runs under a machine-wide named mutex and is skipped when the stamp in node_modules names
/// the current package.json + package-lock.json.
/// </summary>
public static class WrtcInstaller
{
    private const string StampFile = ".pxpactors-installed";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task> Installed = new(() => Task.Run(InstallOnce));

    public static Task EnsureInstalledAsync() => Installed.Value;

    private static void InstallOnce()
    {
        var directory = WrtcPaths.Directory;
        var lockHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            File.ReadAllText(Path.Combine(directory, "package.json")) + "\n" +
            File.ReadAllText(Path.Combine(directory, "package-lock.json")))));
        var stamp = Path.Combine(directory, "node_modules", StampFile);
        if (IsInstalled(stamp, lockHash)) return;

        using var mutex = new Mutex(false, @"Global\PxpActors.Wrtc." + lockHash[..16]);
        try
        {
            if (!mutex.WaitOne(InstallTimeout))
                throw new WrtcException($"Timed out after {InstallTimeout} waiting for another process's npm ci in {directory}.");
        }
        catch (AbandonedMutexException)
        {
            // The previous holder died mid-install; the stamp decides whether to redo it.
        }
        try
        {
            if (IsInstalled(stamp, lockHash)) return;
            RunNpmCi(directory);
            File.WriteAllText(stamp, lockHash);
        }
        finally
        {
            mutex.ReleaseMutex();
        }
    }

    private static bool IsInstalled(string stamp, string lockHash) =>
        File.Exists(stamp) && File.ReadAllText(stamp).Trim() == lockHash;

    private static void RunNpmCi(string directory)
    {
        var npm = NodeTool.Npm ?? throw new WrtcException(NodeTool.MissingReason ?? "npm is not on PATH");
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new WrtcException("npm ci did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(InstallTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new WrtcException($"npm ci in {directory} did not finish within {InstallTimeout}.");
        }
        if (process.ExitCode != 0)
            throw new WrtcException($"npm ci in {directory} failed ({process.ExitCode}):\n{output.Result}\n{errors.Result}");
    }
}
