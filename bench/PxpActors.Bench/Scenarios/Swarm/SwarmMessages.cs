namespace PxpActors.Bench.Scenarios.Swarm;

/// <summary>getpeers, relay (PXP's <c>connect</c>) and upgrade messages, as received by the nodes: one per request sent.</summary>
public sealed record SwarmMessages(double GetPeers, double Relay, double Upgrade)
{
    public double Total => GetPeers + Relay + Upgrade;

    public SwarmMessages Scaled(double by) => new(GetPeers * by, Relay * by, Upgrade * by);

    public override string ToString() => $"getpeers {GetPeers:0.#}, relay {Relay:0.#}, upgrade {Upgrade:0.#}";
}
