namespace PxpActors.TestSupport.Soak;

/// <summary>
/// One hostile workload against a running host, bounded in count and time, all to 127.0.0.1. When
/// <see cref="RunAsync"/> returns, every peer, socket and child process it opened is closed.
/// </summary>
public interface ISoakScenario
{
    string Name { get; }

    Task<SoakOutcome> RunAsync(SoakTarget target, CancellationToken cancel);
}

/// <summary>Where a scenario sends its peers: the host's address and network.</summary>
public sealed record SoakTarget(Uri Address, string Network);

/// <summary>What a scenario did, in one line, and how many of its peers failed in a way the host should not have caused.</summary>
public sealed record SoakOutcome(string Summary, int Failures, IReadOnlyList<string> FirstFailures)
{
    public override string ToString() =>
        Failures == 0 ? Summary : $"{Summary}; {Failures} failures, first: {string.Join(" | ", FirstFailures)}";
}
