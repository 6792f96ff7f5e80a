using PxpActors.TestSupport.Processes;

namespace PxpActors.TestSupport.Wrtc;

/// <summary>Installs the pinned npm packages of the js-wrtc folder (libwebrtc for Node) once per lock file.</summary>
public static class WrtcInstaller
{
    private static readonly Lazy<Task> Installed = new(() => Task.Run(() =>
        NpmInstall.EnsureInstalled(WrtcPaths.Directory, "Wrtc", message => new WrtcException(message))));

    /// <summary>Completes when node_modules matches the lock file; throws <see cref="WrtcException"/> if npm fails.</summary>
    public static Task EnsureInstalledAsync() => Installed.Value;
}
