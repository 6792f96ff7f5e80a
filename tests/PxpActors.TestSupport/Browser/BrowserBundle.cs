using System.Reflection;
using PxpActors.TestSupport.JsReference;
using PxpActors.TestSupport.Processes;

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
    private static readonly Lazy<Task<string>> Built = new(() => Task.Run(BuildOnce));
    private static readonly Lazy<string> Located = new(Locate);

    /// <summary>The demo folder (index.html, demo.js, package.json, dist/ once built).</summary>
    public static string DemoDirectory => Located.Value;

    /// <summary>Builds the bundle if its inputs changed, and returns its path.</summary>
    public static Task<string> EnsureBuiltAsync() => Built.Value;

    private static string BuildOnce()
    {
        var bundle = Path.Combine(DemoDirectory, "dist", "pxp-browser.js");
        Directory.CreateDirectory(Path.GetDirectoryName(bundle)!);
        NpmInstall.EnsurePrepared(DemoDirectory, "BrowserBundle", ["package.json", "package-lock.json", "pxp-browser.js"],
            Path.Combine(DemoDirectory, "dist", StampFile), [NpmInstall.CleanInstall, ["run", "build", "--silent"]],
            message => new JsReferenceException(message));
        return File.Exists(bundle) ? bundle : throw new JsReferenceException($"npm run build in {DemoDirectory} wrote no {bundle}");
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
