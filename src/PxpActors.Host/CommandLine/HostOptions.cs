namespace PxpActors.Host.CommandLine;

/// <summary>What the command line asked for (README, "The standalone node"), each value checked.</summary>
internal sealed record HostOptions(
    string? Network,
    IReadOnlyList<Uri> Listen,
    IReadOnlyList<Uri> Connect,
    int? Peers,
    bool NoIncoming,
    IReadOnlyList<string> IceServers,
    string? ConfigFile,
    bool Echo,
    string? Send,
    bool Json,
    Uri? Metrics,
    TimeSpan Status,
    string? ServeDemo = null,
    Uri? DemoUrl = null);
