// A child process of a simulation split over processes: an ActorSystem with Akka.Remote on loopback (any free port) and a
// NodeHost, which the parent drives over remote. Prints one line, {"address":"akka.tcp://…","pid":N}, then runs until the
// host is shut down, the parent process (--parent-pid) exits, or stdin closes (the parent's end of the pipe is gone).
// With --simulated-webrtc its nodes upgrade over the simulated WebRTC that reaches other systems, not the real stack.
using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using PxpActors.Simulation.Remote;

var parentPid = args.Length is 2 or 3 && args[0] == "--parent-pid" && int.TryParse(args[1], out var pid)
                && (args.Length == 2 || args[2] == "--simulated-webrtc")
    ? pid
    : throw new ArgumentException("usage: PxpActors.Simulation.RemoteNode --parent-pid PID [--simulated-webrtc]");
var simulatedWebRtc = args.Length == 3;

using var parent = Process.GetProcessById(parentPid);
var system = RemoteSimulationConfig.CreateSystem("node-host");
var host = NodeHost.Start(system, simulatedWebRtc: simulatedWebRtc);
var hostStopped = host.WatchAsync();

Console.WriteLine(JsonSerializer.Serialize(new { address = RemoteSimulationConfig.AddressOf(system).ToString(), pid = Environment.ProcessId }));
Console.Out.Flush();

var stdinClosed = Task.Run(async () =>
{
    var buffer = new char[256];
    while (await Console.In.ReadAsync(buffer) > 0)
    {
    }
});
var why = await Task.WhenAny(hostStopped, parent.WaitForExitAsync(), stdinClosed);
await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
Console.Error.WriteLine(why == hostStopped ? "host shut down" : why == stdinClosed ? "stdin closed" : "parent exited");
return 0;
