namespace PxpActors.Multiplexing;

/// <summary>The peer's direction of a forwarded substream (<paramref name="From"/>) is over: ended (no error), reset or session failure.</summary>
public sealed record SubstreamFinished(SubstreamForwarding From, Exception? Error);
