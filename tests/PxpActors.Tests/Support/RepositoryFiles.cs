using System.Reflection;

namespace PxpActors.Tests.Support;

/// <summary>Files of the source tree (README.md, hocon/), for tests that check the documentation against the code.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(() =>
        typeof(RepositoryFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "PxpActors.RepositoryRoot")?.Value is { } root && File.Exists(Path.Combine(root, "PxpActors.sln"))
            ? Path.GetFullPath(root)
            : throw new InvalidOperationException("The repository root is not baked into the test assembly"));

    public static string ReadAllText(string relativePath) => File.ReadAllText(PathOf(relativePath));

    /// <summary>The full path of a file or folder of the source tree.</summary>
    public static string PathOf(string relativePath) => Path.Combine(Root.Value, relativePath);
}
