using Xunit;

namespace PxpActors.TestSupport.JsReference;

/// <summary>Locates node and npm on PATH; tests that need them report skipped when they are missing.</summary>
public static class NodeTool
{
    private static readonly Lazy<string?> NodePath = new(() => FindOnPath("node"));
    private static readonly Lazy<string?> NpmPath = new(() => FindOnPath("npm"));

    public static string? Node => NodePath.Value;

    public static string? Npm => NpmPath.Value;

    /// <summary>Why JS reference tests cannot run here, or null when they can.</summary>
    public static string? MissingReason =>
        Node is null ? "node is not on PATH (the JS reference tests need Node 20)"
        : Npm is null ? "npm is not on PATH (the JS reference tests install peer-exchange with it)"
        : null;

    /// <summary>Marks the running [SkippableFact] test skipped when node or npm is missing.</summary>
    public static void SkipUnlessAvailable()
    {
        var reason = MissingReason;
        Skip.If(reason is not null, reason);
    }

    private static string? FindOnPath(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var names = OperatingSystem.IsWindows() ? new[] { tool + ".exe", tool + ".cmd" } : new[] { tool };
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in names)
            {
                var full = Path.Combine(dir, name);
                if (File.Exists(full))
                {
                    return full;
                }
            }
        }

        return null;
    }
}
