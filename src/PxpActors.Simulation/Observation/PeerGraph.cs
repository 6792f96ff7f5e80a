namespace PxpActors.Simulation.Observation;

/// <summary>
/// A snapshot of who is directly connected to whom among a simulation's live nodes (relayed sessions left out), with the
/// measures a swarm is judged by: degrees, connected components and diameter.
/// </summary>
public sealed class PeerGraph
{
    private readonly Dictionary<string, HashSet<string>> _adjacent;
    private IReadOnlyList<IReadOnlySet<string>>? _components;
    private int? _diameter;

    /// <summary>A graph of <paramref name="nodes"/> with undirected <paramref name="edges"/> (edges to unknown nodes are dropped).</summary>
    public PeerGraph(IEnumerable<string> nodes, IEnumerable<(string A, string B)> edges)
    {
        _adjacent = nodes.Distinct(StringComparer.Ordinal).ToDictionary(n => n, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (a, b) in edges)
        {
            if (a == b || !_adjacent.TryGetValue(a, out var fromA) || !_adjacent.TryGetValue(b, out var fromB)) continue;
            fromA.Add(b);
            fromB.Add(a);
        }
    }

    /// <summary>The nodes, by name.</summary>
    public IReadOnlyCollection<string> Nodes => _adjacent.Keys;

    /// <summary>Each edge once, its ends in ordinal order.</summary>
    public IReadOnlyList<(string A, string B)> Edges =>
        [.. _adjacent.SelectMany(e => e.Value.Where(n => string.CompareOrdinal(e.Key, n) < 0).Select(n => (e.Key, n)))];

    /// <summary>The neighbours of <paramref name="node"/>.</summary>
    public IReadOnlySet<string> Neighbours(string node) => _adjacent[node];

    /// <summary>How many nodes <paramref name="node"/> is directly connected to.</summary>
    public int Degree(string node) => _adjacent[node].Count;

    /// <summary>The smallest degree (0 for an empty graph).</summary>
    public int MinDegree => _adjacent.Count == 0 ? 0 : _adjacent.Values.Min(n => n.Count);

    /// <summary>The largest degree (0 for an empty graph).</summary>
    public int MaxDegree => _adjacent.Count == 0 ? 0 : _adjacent.Values.Max(n => n.Count);

    /// <summary>The mean degree (0 for an empty graph).</summary>
    public double AverageDegree => _adjacent.Count == 0 ? 0 : _adjacent.Values.Average(n => n.Count);

    /// <summary>How many nodes have each degree, by degree ascending.</summary>
    public IReadOnlyDictionary<int, int> DegreeDistribution =>
        new SortedDictionary<int, int>(_adjacent.Values.GroupBy(n => n.Count).ToDictionary(g => g.Key, g => g.Count()));

    /// <summary>The connected components, largest first.</summary>
    public IReadOnlyList<IReadOnlySet<string>> Components => _components ??= FindComponents();

    /// <summary>True when every node can reach every other (an empty graph counts as connected).</summary>
    public bool IsConnected => Components.Count <= 1;

    /// <summary>
    /// The longest shortest path between two nodes of the largest component, in hops (a breadth-first search from every node:
    /// meant for hundreds of nodes, not tens of thousands).
    /// </summary>
    public int Diameter => _diameter ??= Components.Count == 0 ? 0 : Components[0].Max(Eccentricity);

    /// <summary>The nodes whose degree is below <paramref name="degree"/>.</summary>
    public IReadOnlyList<string> NodesBelow(int degree) => [.. _adjacent.Where(e => e.Value.Count < degree).Select(e => e.Key).Order(StringComparer.Ordinal)];

    /// <summary>True when removing <paramref name="node"/> would split its component (a bridge between parts of the swarm).</summary>
    public bool IsCutVertex(string node)
    {
        var neighbours = _adjacent[node];
        if (neighbours.Count < 2) return false;
        var seen = new HashSet<string>(StringComparer.Ordinal) { node };
        var queue = new Queue<string>();
        var first = neighbours.First();
        seen.Add(first);
        queue.Enqueue(first);
        while (queue.TryDequeue(out var at))
        {
            foreach (var next in _adjacent[at])
                if (seen.Add(next)) queue.Enqueue(next);
        }
        return neighbours.Any(n => !seen.Contains(n));
    }

    /// <summary>One line for a test's output: nodes, edges, components, degrees.</summary>
    public override string ToString() =>
        $"{_adjacent.Count} nodes, {Edges.Count} edges, {Components.Count} component(s), degree min {MinDegree} avg {AverageDegree:0.0} max {MaxDegree}, " +
        $"distribution [{string.Join(", ", DegreeDistribution.Select(d => $"{d.Key}:{d.Value}"))}]";

    private List<IReadOnlySet<string>> FindComponents()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<IReadOnlySet<string>>();
        foreach (var start in _adjacent.Keys)
        {
            if (!seen.Add(start)) continue;
            var component = new HashSet<string>(StringComparer.Ordinal) { start };
            var queue = new Queue<string>([start]);
            while (queue.TryDequeue(out var at))
            {
                foreach (var next in _adjacent[at])
                {
                    if (seen.Add(next))
                    {
                        component.Add(next);
                        queue.Enqueue(next);
                    }
                }
            }
            components.Add(component);
        }
        return [.. components.OrderByDescending(c => c.Count)];
    }

    private int Eccentricity(string start)
    {
        var distance = new Dictionary<string, int>(StringComparer.Ordinal) { [start] = 0 };
        var queue = new Queue<string>([start]);
        var farthest = 0;
        while (queue.TryDequeue(out var at))
        {
            foreach (var next in _adjacent[at])
            {
                if (distance.ContainsKey(next)) continue;
                distance[next] = distance[at] + 1;
                farthest = Math.Max(farthest, distance[next]);
                queue.Enqueue(next);
            }
        }
        return farthest;
    }
}
