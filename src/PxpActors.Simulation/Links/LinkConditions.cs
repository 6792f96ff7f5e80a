namespace PxpActors.Simulation.Links;

/// <summary>
/// How a simulated link treats the bytes it carries, in each direction: every chunk is held for
/// <see cref="Latency"/> plus up to <see cref="Jitter"/> (at random, order kept), and chunks leave no faster than
/// <see cref="BytesPerSecond"/>. A link that is cut or partitioned away fails instead (see <c>SimulatedLink.Cut</c>).
/// </summary>
/// <param name="Latency">One-way delay of every chunk.</param>
/// <param name="Jitter">Extra delay of up to this much per chunk, uniformly at random; chunks never overtake each other.</param>
/// <param name="BytesPerSecond">Bandwidth of one direction; 0 = unlimited.</param>
public sealed record LinkConditions(TimeSpan Latency, TimeSpan Jitter, long BytesPerSecond)
{
    /// <summary>No delay and unlimited bandwidth: bytes pass as soon as they are written.</summary>
    public static LinkConditions Perfect { get; } = new(TimeSpan.Zero, TimeSpan.Zero, 0);

    /// <summary>True when the link passes chunks as they come (no delay, no bandwidth limit).</summary>
    public bool IsPerfect => Latency <= TimeSpan.Zero && Jitter <= TimeSpan.Zero && BytesPerSecond <= 0;

    /// <summary>How long <paramref name="bytes"/> occupy the link at its bandwidth (zero when unlimited).</summary>
    public TimeSpan TransmissionTime(int bytes) =>
        BytesPerSecond <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)(bytes * (double)TimeSpan.TicksPerSecond / BytesPerSecond));

    /// <summary>Latency plus a random share of the jitter (<paramref name="random"/> in [0, 1)).</summary>
    public TimeSpan Delay(double random) => Latency + TimeSpan.FromTicks((long)(Jitter.Ticks * random));
}
