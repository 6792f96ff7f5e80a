using System.Security.Cryptography;
using System.Text;
using PxpActors.TestSupport.JsReference;

namespace PxpActors.TestSupport.Processes;

/// <summary>
/// Prepares an npm fixture folder (<c>npm ci</c>, and a build where there is one) once per content of its inputs. Test processes start together, so the install runs
/// under a machine-wide named mutex (file-lock backed on Unix) and is skipped when the stamp in node_modules names
/// the current package.json + package-lock.json.
/// </summary>
public static class NpmInstall
{
    private const string StampFile = ".pxpactors-installed";
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);

    /// <summary><c>npm ci</c> with quiet output: installs exactly what package-lock.json names.</summary>
    public static readonly string[] CleanInstall = ["ci", "--no-audit", "--no-fund", "--loglevel=error"];

    /// <summary>
    /// Installs <paramref name="directory"/>'s locked packages unless they already are; <paramref name="failure"/>
    /// makes the fixture's own exception from a message (npm missing, failing, or too slow).
    /// </summary>
    public static void EnsureInstalled(string directory, string fixtureName, Func<string, Exception> failure) =>
        EnsurePrepared(directory, fixtureName, ["package.json", "package-lock.json"], Path.Combine(directory, "node_modules", StampFile),
            [CleanInstall], failure);

    /// <summary>
    /// Runs the npm <paramref name="steps"/> in <paramref name="directory"/> unless <paramref name="stamp"/> names the
    /// current content of its <paramref name="inputs"/> (files of the folder); writes the stamp once all succeeded.
    /// </summary>
    public static void EnsurePrepared(string directory, string fixtureName, IReadOnlyList<string> inputs, string stamp,
        IReadOnlyList<string[]> steps, Func<string, Exception> failure)
    {
        var inputsHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join("\n", inputs.Select(name => File.ReadAllText(Path.Combine(directory, name)))))));
        if (IsInstalled(stamp, inputsHash)) return;

        // Named after the inputs: other clones of the repository do not wait on us.
        using var mutex = new Mutex(false, $@"Global\PxpActors.{fixtureName}.{inputsHash[..16]}");
        try
        {
            if (!mutex.WaitOne(InstallTimeout * steps.Count))
                throw failure($"Timed out waiting for another process's npm {string.Join(", ", steps.Select(s => s[0]))} in {directory}.");
        }
        catch (AbandonedMutexException)
        {
            // The previous holder died mid-install; we own the mutex now and the stamp decides.
        }
        try
        {
            if (IsInstalled(stamp, inputsHash)) return;
            foreach (var step in steps) RunNpm(directory, step, failure);
            File.WriteAllText(stamp, inputsHash);
        }
        finally
        {
            mutex.ReleaseMutex();
        }
    }

    private static bool IsInstalled(string stamp, string inputsHash) =>
        File.Exists(stamp) && File.ReadAllText(stamp).Trim() == inputsHash;

    // Blocks on purpose: the mutex belongs to this thread until the install is over.
    private static void RunNpm(string directory, string[] arguments, Func<string, Exception> failure)
    {
        var npm = NodeTool.Npm ?? throw failure(NodeTool.MissingReason ?? "npm is not on PATH");
        CommandResult result;
        try
        {
            result = Command.RunAsync(npm, arguments, directory, InstallTimeout)
                .GetAwaiter().GetResult();
        }
        catch (TimeoutException e)
        {
            throw failure(e.Message);
        }
        if (result.ExitCode != 0) throw failure(result.Describe());
    }
}
