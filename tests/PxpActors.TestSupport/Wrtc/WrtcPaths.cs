using System.Reflection;

namespace PxpActors.TestSupport.Wrtc;

/// <summary>
/// Finds the js-wrtc folder in the source tree (package.json, lock file, driver.js). Tests build into
/// artifacts paths outside the repo, so the project file bakes the folder into assembly metadata;
/// <see cref="OverrideVariable"/> points elsewhere when set.
/// </summary>
public static class WrtcPaths
{
    public const string OverrideVariable = "PXP_JS_WRTC_DIR";

    public const string MetadataKey = "PxpActors.WrtcDriverDirectory";

    private static readonly Lazy<string> Located = new(Locate);

    public static string Directory => Located.Value;

    public static string DriverScript => Path.Combine(Directory, "driver.js");

    private static string Locate()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable(OverrideVariable),
            typeof(WrtcPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == MetadataKey)?.Value,
        };
        foreach (var candidate in candidates)
        {
            if (candidate is not null && File.Exists(Path.Combine(candidate, "driver.js"))
                && File.Exists(Path.Combine(candidate, "package-lock.json")))
                return Path.GetFullPath(candidate);
        }
        throw new WrtcException(
            $"The libwebrtc driver folder (tests/PxpActors.TestSupport/js-wrtc) was not found; set {OverrideVariable} to it.");
    }
}
