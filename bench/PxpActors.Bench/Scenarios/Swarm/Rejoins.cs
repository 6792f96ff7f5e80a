using System.Collections.Concurrent;
using Akka.Actor;
using PxpActors.Simulation.Remote;

namespace PxpActors.Bench.Scenarios.Swarm;

/// <summary>
/// Nodes of a two-process swarm left with no peer dial a random node that has some, as a real node re-dials its bootstrap
/// address and as the in-process simulation does (SimulationOptions.RejoinWhenIsolated): upkeep cannot help a node with
/// no one to ask. One dial at a time per node.
/// </summary>
public sealed class Rejoins(NodeHostClient[] hosts, IActorRef[] endpoints, Func<int, string> nameOf, Random random)
{
    private readonly ConcurrentDictionary<int, byte> _dialing = new();
    private int _count;

    /// <summary>Rejoins dialed so far.</summary>
    public int Count => _count;

    /// <summary>Starts a rejoin for each node of degree 0 (nodes numbered as <paramref name="degrees"/> is indexed).</summary>
    public void Isolated(IReadOnlyList<int> degrees)
    {
        var connected = Enumerable.Range(0, degrees.Count).Where(k => degrees[k] > 0).ToList();
        if (connected.Count == 0) return;
        for (var k = 0; k < degrees.Count; k++)
        {
            if (degrees[k] > 0 || !_dialing.TryAdd(k, 0)) continue;
            Interlocked.Increment(ref _count);
            _ = DialAsync(k, connected[random.Next(connected.Count)]);
        }
    }

    private async Task DialAsync(int from, int to)
    {
        try
        {
            await hosts[from % 2].ConnectAsync(nameOf(from), endpoints[to % 2], nameOf(to)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or AskTimeoutException)
        {
            // The next look tries again.
        }
        finally
        {
            _dialing.TryRemove(from, out _);
        }
    }
}
