using System.Runtime.InteropServices;
using Akka.Configuration;
using PxpActors.Host;

// The standalone PXP node. Command line: README.md ("The standalone node").
var hostConf = Path.Combine(AppContext.BaseDirectory, "host.conf");
var defaults = ConfigurationFactory.ParseString(File.ReadAllText(hostConf));

HostOptions options;
try
{
    options = HostOptions.Parse(args, defaults);
}
catch (HostUsageException e)
{
    Console.Error.WriteLine($"pxp: {e.Message}");
    return 2;
}

using var stop = new CancellationTokenSource();
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true; // we close gracefully, then exit 0 ourselves
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

var output = new HostOutput(options.Json, Console.Out);
try
{
    await new NodeHost(options, output).RunAsync(stop.Token);
    return 0;
}
catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
{
    output.Error(e.Message);
    return 1;
}
