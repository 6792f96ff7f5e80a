using PxpActors.Host;
using PxpActors.Host.CommandLine;

// The standalone PXP node. Command line: README.md ("The standalone node"); `pxp --help` describes every option.
try
{
    if (new HostCommandLine().Parse(args, Console.Out) is not { } options) return 0; // --help
    var config = HostConfig.Create(options);
    await new NodeHost(options, config, Console.Out).RunAsync();
    return 0;
}
catch (HostUsageException e)
{
    // Every way to start wrong: one line, exit 2.
    Console.Error.WriteLine($"pxp: {e.Message}");
    return 2;
}
