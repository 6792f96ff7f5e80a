using System.Reflection;

namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// Finds the js/ folder in the SOURCE tree (package.json, the lock file, driver.js). Tests build
/// into an artifacts path outside the repo, so the folder is baked in at build time and, failing
/// that, found by walking up from the test binaries to the folder holding PxpActors.sln.
/// </summary>
public static class JsReferencePaths
{
    /// <summary>Set to point the fixture at another copy of the js folder.</summary>
    public const string OverrideVariable = "PXP_JS_REFERENCE_DIR";

    /// <summary>The assembly metadata key the project file sets to its own js folder.</summary>
    public const string MetadataKey = "PxpActors.JsReferenceDirectory";

    private static readonly Lazy<string> Directory = new(Locate);

    /// <summary>The absolute js folder path; throws <see cref="JsReferenceException"/> if it is nowhere.</summary>
    public static string JsDirectory => Directory.Value;

    public static string DriverScript => Path.Combine(JsDirectory, "driver.js");

    private static string Locate()
    {
        foreach (var candidate in Candidates())
        {
            if (candidate is not null && File.Exists(Path.Combine(candidate, "driver.js")) &&
                File.Exists(Path.Combine(candidate, "package-lock.json")))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new JsReferenceException(
            "The JS reference folder (tests/PxpActors.TestSupport/js with driver.js and package-lock.json) " +
            $"was not found; set {OverrideVariable} to it.");
    }

    private static IEnumerable<string?> Candidates()
    {
        yield return Environment.GetEnvironmentVariable(OverrideVariable);
        yield return typeof(JsReferencePaths).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == MetadataKey)?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "PxpActors.sln")))
                {
                    yield return Path.Combine(dir.FullName, "tests", "PxpActors.TestSupport", "js");
                    break;
                }
            }
        }
    }
}
