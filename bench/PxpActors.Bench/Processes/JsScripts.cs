using System.Diagnostics;
using System.Reflection;
using PxpActors.TestSupport.JsReference;
using PxpActors.TestSupport.Wrtc;

namespace PxpActors.Bench.Processes;

/// <summary>
/// The node scripts under bench/PxpActors.Bench/js, run against the reference packages the JS test
/// fixture installs (tests/PxpActors.TestSupport/js/node_modules, reached through NODE_PATH).
/// </summary>
public static class JsScripts
{
    private const string MetadataKey = "PxpActors.BenchScriptDirectory";

    /// <summary>Why the JS reference cannot be measured here, or null when it can (installs it if needed).</summary>
    public static async Task<string?> UnavailableReasonAsync()
    {
        if (NodeTool.MissingReason is { } missing) return missing;
        try
        {
            await JsReferenceInstaller.EnsureInstalledAsync().ConfigureAwait(false);
            return File.Exists(Script("handshake.js")) ? null : $"the bench scripts are not at {ScriptDirectory}";
        }
        catch (JsReferenceException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Why <paramref name="script"/> cannot run against libwebrtc here, or null when it can
    /// (installs @roamhq/wrtc if needed).
    /// </summary>
    public static async Task<string?> LibwebrtcUnavailableReasonAsync(string script)
    {
        if (NodeTool.MissingReason is { } missing) return missing;
        try
        {
            await WrtcInstaller.EnsureInstalledAsync().ConfigureAwait(false);
        }
        catch (WrtcException e)
        {
            return e.Message;
        }
        var path = Script(script);
        return File.Exists(path) ? null : $"the bench script {path} is missing";
    }

    /// <param name="exposeGc">Lets the script force full collections before it reads its memory.</param>
    /// <param name="nodeModules">Where the script's packages are; the JS reference fixture's by default.</param>
    public static ProcessStartInfo Start(string script, IEnumerable<string> args, bool exposeGc = false, string? nodeModules = null)
    {
        var start = new ProcessStartInfo(NodeTool.Node ?? throw new InvalidOperationException("node is not on PATH"));
        if (exposeGc) start.ArgumentList.Add("--expose-gc");
        start.ArgumentList.Add(Script(script));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["NODE_PATH"] = nodeModules ?? Path.Combine(JsReferencePaths.JsDirectory, "node_modules");
        return start;
    }

    /// <summary>The full path of a bench script, for checking that it is there.</summary>
    public static string Script(string name) => Path.Combine(ScriptDirectory, name);

    private static string ScriptDirectory =>
        typeof(JsScripts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == MetadataKey)?.Value
        ?? Path.Combine(AppContext.BaseDirectory, "js");
}
