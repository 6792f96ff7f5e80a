namespace PxpActors.Bench.Scenarios.Swarm;

/// <summary>What one process of a two-process swarm cost: CPU time to converge, GC heap grown and working set with its nodes.</summary>
public sealed record SwarmProcessCost(int Nodes, double CpuSeconds, double HeapMiB, double WorkingSetMiB)
{
    public double HeapKiBPerNode => HeapMiB * 1024 / Nodes;

    public double CpuMsPerNode => CpuSeconds * 1000 / Nodes;

    public override string ToString() =>
        $"{Nodes:N0} nodes, {CpuSeconds:0.#} s CPU ({CpuMsPerNode:0.#} ms/node), {HeapMiB:0} MiB GC heap ({HeapKiBPerNode:0} KiB/node), {WorkingSetMiB:0} MiB working set";
}
