namespace PxpActors.Simulation.Topologies;

/// <summary>
/// Which nodes a simulation links directly, by index into the list of nodes it is applied to. An edge (a, b) has node a
/// dial node b over a simulated link.
/// </summary>
public abstract record Topology
{
    private protected Topology()
    {
    }

    /// <summary>The edges among <paramref name="count"/> nodes.</summary>
    public abstract IReadOnlyList<(int From, int To)> Edges(int count, Random random);

    /// <summary>Every node dials the seed (node <paramref name="seed"/>): the bootstrap of a swarm from one address.</summary>
    public static Topology Star(int seed = 0) => new StarTopology(seed);

    /// <summary>Each node dials the next, the last the first.</summary>
    public static Topology Ring() => new RingTopology();

    /// <summary>
    /// A connected random graph: a random spanning tree (each node dials one earlier node), then random extra edges until the
    /// average degree is about <paramref name="averageDegree"/>.
    /// </summary>
    public static Topology Random(double averageDegree) => new RandomTopology(averageDegree);

    /// <summary>Exactly these edges.</summary>
    public static Topology Explicit(params (int From, int To)[] edges) => new ExplicitTopology(edges);

    private sealed record StarTopology(int Seed) : Topology
    {
        public override IReadOnlyList<(int From, int To)> Edges(int count, Random random) =>
            [.. Enumerable.Range(0, count).Where(i => i != Seed).Select(i => (i, Seed))];
    }

    private sealed record RingTopology : Topology
    {
        public override IReadOnlyList<(int From, int To)> Edges(int count, Random random) =>
            count < 2 ? [] : count == 2 ? [(0, 1)] : [.. Enumerable.Range(0, count).Select(i => (i, (i + 1) % count))];
    }

    private sealed record RandomTopology(double AverageDegree) : Topology
    {
        public override IReadOnlyList<(int From, int To)> Edges(int count, Random random)
        {
            var edges = new HashSet<(int, int)>();
            for (var i = 1; i < count; i++) edges.Add((i, random.Next(i)));
            var wanted = Math.Min((long)(AverageDegree * count / 2), (long)count * (count - 1) / 2);
            while (edges.Count < wanted)
            {
                int a = random.Next(count), b = random.Next(count);
                if (a != b && !edges.Contains((b, a))) edges.Add((a, b));
            }
            return [.. edges];
        }
    }

    private sealed record ExplicitTopology((int From, int To)[] Given) : Topology
    {
        public override IReadOnlyList<(int From, int To)> Edges(int count, Random random)
        {
            foreach (var (from, to) in Given)
            {
                if (from < 0 || from >= count || to < 0 || to >= count || from == to)
                    throw new ArgumentException($"Edge ({from}, {to}) does not join two of the {count} nodes");
            }
            return Given;
        }
    }
}
