using PxpActors.TestSupport.Processes;

namespace PxpActors.TestSupport.JsReference;

/// <summary>Installs the pinned npm packages of the js folder (peer-exchange, websocket-stream, wrtc) once per lock file.</summary>
public static class JsReferenceInstaller
{
    private static readonly Lazy<Task> Installed = new(() => Task.Run(() =>
        NpmInstall.EnsureInstalled(JsReferencePaths.JsDirectory, "JsReference", message => new JsReferenceException(message))));

    /// <summary>Completes when node_modules matches the lock file; throws <see cref="JsReferenceException"/> if npm fails.</summary>
    public static Task EnsureInstalledAsync() => Installed.Value;
}
