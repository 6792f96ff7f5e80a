namespace PxpActors.Multiplexing;

/// <summary>The peer's direction of a forwarded <see cref="SubstreamChannel"/> is over: ended (no error), reset or session failure.</summary>
public sealed record SubstreamFinished(SubstreamChannel Channel, Exception? Error);
