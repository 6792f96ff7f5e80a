using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using PxpActors.TestSupport.JsReference;

namespace PxpActors.TestSupport.Browser;

/// <summary>
/// The reference bundled for browsers: the repo's demo/ folder runs <c>npm ci</c> (peer-exchange@2.2.0,
/// websocket-stream@3.3.3, browserify pinned in its package-lock.json) and <c>npm run build</c>, which writes
/// demo/dist/pxp-browser.js. Built once per test run: test processes starting together share a machine-wide mutex, and a
/// stamp beside the bundle names the inputs it was built from.
/// </summary>
public static class BrowserBundle
{
    /// <summary>Set to point the fixture at another copy of the demo folder.</summary>
    public const string OverrideVariable = "PXP_DEMO_DIR";

    /// <summary>The assembly metadata key the project file sets to the repo's demo folder.</summary>
    public const string MetadataKey = "PxpActors.DemoDirectory";

    private const string StampFile = ".pxpactors-built";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<string>> Built = new(() => Task.Run(BuildOnce));
    private static readonly Lazy<string> Located = new(Locate);

    /// <summary>The demo folder (index.html, demo.js, package.json, dist/ once built).</summary>
    public static string DemoDirectory => Located.Value;

    /// <summary>Builds the bundle if its inputs changed, and returns its path.</summary>
    public static Task<string> EnsureBuiltAsync() => Built.Value;

    private static string BuildOnce()
    {
        var bundle = Path.Combine(DemoDirectory, "dist", "pxp-browser.js");
        var stamp = Path.Combine(DemoDirectory, "dist", StampFile);
        var inputs = InputsHash();
        if (IsBuilt(bundle, stamp, inputs)) return bundle;

        using var mutex = new Mutex(false, @"Global\PxpActors.BrowserBundle." + inputs[..16]);
        try
        {
            if (!mutex.WaitOne(StepTimeout * 2))
                throw new JsReferenceException($"Timed out waiting for another process's bundle build in {DemoDirectory}.");
        }
        catch (AbandonedMutexException)
        {
            // The previous holder died mid-build; the stamp decides whether to redo it.
        }
        try
        {
            if (IsBuilt(bundle, stamp, inputs)) return bundle;
            Run("ci", "--no-audit", "--no-fund", "--loglevel=error");
            Run("run", "build", "--silent");
            File.WriteAllText(stamp, inputs);
            return bundle;
        }
        finally
        {
            mutex.ReleaseMutex();
        }
    }

    private static bool IsBuilt(string bundle, string stamp, string inputs) =>
        File.Exists(bundle) && File.Exists(stamp) && File.ReadAllText(stamp).Trim() == inputs;

    private static string InputsHash()
    {
        var text = string.Join("\n", new[] { "package.json", "package-lock.json", "pxp-browser.js" }
            .Select(name => File.ReadAllText(Path.Combine(DemoDirectory, name))));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static void Run(params string[] arguments)
    {
        var npm = NodeTool.Npm ?? throw new JsReferenceException(NodeTool.MissingReason ?? "npm is not on PATH");
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = DemoDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new JsReferenceException("npm did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(StepTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new JsReferenceException($"npm {string.Join(' ', arguments)} in {DemoDirectory} did not finish within {StepTimeout}.");
        }
        if (process.ExitCode != 0)
            throw new JsReferenceException($"npm {string.Join(' ', arguments)} in {DemoDirectory} failed ({process.ExitCode}):\n{output.Result}\n{errors.Result}");
    }

    private static string Locate()
    {
        var candidates = new List<string?>
        {
            Environment.GetEnvironmentVariable(OverrideVariable),
            typeof(BrowserBundle).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == MetadataKey)?.Value,
        };
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PxpActors.sln"))) candidates.Add(Path.Combine(dir.FullName, "demo"));
        }
        return candidates.Where(c => c is not null && File.Exists(Path.Combine(c, "package-lock.json")))
                   .Select(c => Path.GetFullPath(c!)).FirstOrDefault()
               ?? throw new JsReferenceException($"The demo folder (demo/ with package-lock.json) was not found; set {OverrideVariable} to it.");
    }
}
