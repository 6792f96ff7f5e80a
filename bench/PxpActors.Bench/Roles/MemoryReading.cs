using System.Diagnostics;

namespace PxpActors.Bench.Roles;

/// <summary>This process's memory after full, compacting collections: managed heap and working set.</summary>
public sealed record MemoryReading(int Peers, long GcHeapBytes, long WorkingSetBytes)
{
    public static MemoryReading Take(int peers)
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var self = Process.GetCurrentProcess();
        return new MemoryReading(peers, heap, self.WorkingSet64);
    }
}
