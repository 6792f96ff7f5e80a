using System.Security.Cryptography;
using System.Text;
using PxpActors.TestSupport.JsReference;

namespace PxpActors.TestSupport.Processes;

/// <summary>
/// Runs <c>npm ci</c> in a fixture folder once per lock file. Test processes start together, so the install runs
/// under a machine-wide named mutex (file-lock backed on Unix) and is skipped when the stamp in node_modules names
/// the current package.json + package-lock.json.
/// </summary>
public static class NpmInstall
{
    private const string StampFile = ".pxpactors-installed";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Installs <paramref name="directory"/>'s locked packages unless they already are; <paramref name="failure"/>
    /// makes the fixture's own exception from a message (npm missing, failing, or too slow).
    /// </summary>
    public static void EnsureInstalled(string directory, string fixtureName, Func<string, Exception> failure)
    {
        var lockHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            File.ReadAllText(Path.Combine(directory, "package.json")) + "\n" +
            File.ReadAllText(Path.Combine(directory, "package-lock.json")))));
        var stamp = Path.Combine(directory, "node_modules", StampFile);
        if (IsInstalled(stamp, lockHash)) return;

        // Named after the lock file: other clones of the repository do not wait on us.
        using var mutex = new Mutex(false, $@"Global\PxpActors.{fixtureName}.{lockHash[..16]}");
        try
        {
            if (!mutex.WaitOne(InstallTimeout))
                throw failure($"Timed out after {InstallTimeout} waiting for another process's npm ci in {directory}.");
        }
        catch (AbandonedMutexException)
        {
            // The previous holder died mid-install; we own the mutex now and the stamp decides.
        }
        try
        {
            if (IsInstalled(stamp, lockHash)) return;
            RunNpmCi(directory, failure);
            File.WriteAllText(stamp, lockHash);
        }
        finally
        {
            mutex.ReleaseMutex();
        }
    }

    private static bool IsInstalled(string stamp, string lockHash) =>
        File.Exists(stamp) && File.ReadAllText(stamp).Trim() == lockHash;

    // Blocks on purpose: the mutex belongs to this thread until the install is over.
    private static void RunNpmCi(string directory, Func<string, Exception> failure)
    {
        var npm = NodeTool.Npm ?? throw failure(NodeTool.MissingReason ?? "npm is not on PATH");
        CommandResult result;
        try
        {
            result = Command.RunAsync(npm, ["ci", "--no-audit", "--no-fund", "--loglevel=error"], directory, InstallTimeout)
                .GetAwaiter().GetResult();
        }
        catch (TimeoutException e)
        {
            throw failure(e.Message);
        }
        if (result.ExitCode != 0) throw failure(result.Describe());
    }
}
