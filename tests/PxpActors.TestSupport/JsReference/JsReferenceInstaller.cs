using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// Installs the pinned npm packages (package-lock.json) into the js folder once. Several test
/// processes may start at the same time, so the install runs under a machine-wide named mutex and
/// is skipped when a stamp in node_modules says this exact lock file is already installed.
/// </summary>
public static class JsReferenceInstaller
{
    private const string StampFile = ".pxpactors-installed";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task> Installed = new(() => Task.Run(InstallOnce));

    /// <summary>Completes when node_modules matches the lock file; throws <see cref="JsReferenceException"/> if npm fails.</summary>
    public static Task EnsureInstalledAsync() => Installed.Value;

    private static void InstallOnce()
    {
        var dir = JsReferencePaths.JsDirectory;
        var lockHash = LockHash(dir);
        var stampPath = Path.Combine(dir, "node_modules", StampFile);
        if (IsInstalled(stampPath, lockHash))
        {
            return;
        }

        // A machine-wide mutex (file-lock backed on Unix) named after the folder: other clones don't wait on us.
        using var mutex = new Mutex(false, @"Global\PxpActors.JsReference." + lockHash[..16]);
        try
        {
            if (!mutex.WaitOne(InstallTimeout))
            {
                throw new JsReferenceException($"Timed out after {InstallTimeout} waiting for another process's npm ci in {dir}.");
            }
        }
        catch (AbandonedMutexException)
        {
            // The previous holder died mid-install; we own the mutex now and the stamp decides.
        }

        try
        {
            if (!IsInstalled(stampPath, lockHash))
            {
                RunNpmCi(dir);
                File.WriteAllText(stampPath, lockHash);
            }
        }
        finally
        {
            mutex.ReleaseMutex();
        }
    }

    private static bool IsInstalled(string stampPath, string lockHash) =>
        File.Exists(stampPath) && File.ReadAllText(stampPath).Trim() == lockHash;

    private static string LockHash(string dir)
    {
        var text = File.ReadAllText(Path.Combine(dir, "package.json")) + "\n" +
                   File.ReadAllText(Path.Combine(dir, "package-lock.json"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static void RunNpmCi(string dir)
    {
        var npm = NodeTool.Npm ?? throw new JsReferenceException(NodeTool.MissingReason ?? "npm is not on PATH");
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new JsReferenceException("npm ci did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(InstallTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new JsReferenceException($"npm ci in {dir} did not finish within {InstallTimeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new JsReferenceException(
                $"npm ci in {dir} failed with exit code {process.ExitCode}:\n{output.Result}\n{errors.Result}");
        }
    }
}
