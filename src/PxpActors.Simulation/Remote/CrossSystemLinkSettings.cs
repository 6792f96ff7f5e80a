namespace PxpActors.Simulation.Remote;

/// <summary>How a <see cref="LinkEndpoint"/> establishes and bounds its links.</summary>
/// <param name="OfferTimeout">How long a dialing side waits for the other system's endpoint to accept its offer.</param>
/// <param name="MaterializeTimeout">
/// How long a side of an established link may wait before its flow is run; past it the side is closed (and the other side's
/// flow fails). Keep it within Akka.Streams' stream-ref subscription timeout (<c>akka.stream.materializer.stream-ref.subscription-timeout</c>, 30 s).
/// </param>
/// <param name="ChunkSize">The largest piece of bytes one stream-ref element carries (Akka.Remote caps a message's size).</param>
public sealed record CrossSystemLinkSettings(TimeSpan OfferTimeout, TimeSpan MaterializeTimeout, int ChunkSize)
{
    /// <summary>Offer 5 s, materialize 25 s, chunks of 32 KiB.</summary>
    public static CrossSystemLinkSettings Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(25), 32 * 1024);

    /// <summary>Throws when a value is out of range.</summary>
    internal CrossSystemLinkSettings Validated()
    {
        if (OfferTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(OfferTimeout), OfferTimeout, "Must be positive.");
        if (MaterializeTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaterializeTimeout), MaterializeTimeout, "Must be positive.");
        if (ChunkSize is <= 0 or > RemoteSimulationConfig.MaximumFrameSize / 2)
            throw new ArgumentOutOfRangeException(nameof(ChunkSize), ChunkSize, $"Must be within 1..{RemoteSimulationConfig.MaximumFrameSize / 2}.");
        return this;
    }
}
