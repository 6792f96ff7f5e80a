using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;

namespace PxpActors.Simulation.Tests.Remote.Support;

/// <summary>
/// PxpActors.Simulation.RemoteNode as a child process: an ActorSystem with a NodeHost on loopback, driven over Akka.Remote.
/// Its first stdout line gives its address and pid. Disposing kills it if it still runs.
/// </summary>
public sealed class ChildNodeProcess : IAsyncDisposable
{
    private ChildNodeProcess(Process process, Address address, int pid)
    {
        Process = process;
        Address = address;
        Pid = pid;
    }

    /// <summary>The process started (the node itself, or a shell that runs it).</summary>
    public Process Process { get; }

    /// <summary>The node's ActorSystem address.</summary>
    public Address Address { get; }

    /// <summary>The node's own process id.</summary>
    public int Pid { get; }

    public static string NodeDll => Path.Combine(AppContext.BaseDirectory, "PxpActors.Simulation.RemoteNode.dll");

    /// <summary>Starts the node as a child of this process; its nodes upgrade over a simulated WebRTC if asked to.</summary>
    public static Task<ChildNodeProcess> StartAsync(bool simulatedWebRtc = false) =>
        StartAsync("dotnet", simulatedWebRtc
            ? [NodeDll, "--parent-pid", Environment.ProcessId.ToString(), "--simulated-webrtc"]
            : [NodeDll, "--parent-pid", Environment.ProcessId.ToString()]);

    /// <summary>Starts the node under a shell, its parent: killing the shell leaves the node without its parent.</summary>
    public static Task<ChildNodeProcess> StartUnderShellAsync() =>
        StartAsync("/bin/sh", ["-c", $"dotnet '{NodeDll}' --parent-pid $$; true"]);

    private static async Task<ChildNodeProcess> StartAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        try
        {
            var line = await Await.WithinAsync(process.StandardOutput.ReadLineAsync(), "the node's address line", TimeSpan.FromSeconds(30))
                       ?? throw new InvalidOperationException("The node exited before printing its address");
            using var json = JsonDocument.Parse(line);
            var address = Address.Parse(json.RootElement.GetProperty("address").GetString()!);
            return new ChildNodeProcess(process, address, json.RootElement.GetProperty("pid").GetInt32());
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>True while the node's own process runs.</summary>
    public bool NodeRunning => ProcessRuns(Pid);

    public static bool ProcessRuns(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        if (ProcessRuns(Pid)) Process.GetProcessById(Pid).Kill();
        Process.Dispose();
        return ValueTask.CompletedTask;
    }
}
