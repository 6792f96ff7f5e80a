namespace PxpActors.Simulation.Links;

/// <summary>A simulated link was cut (by the test, a partition or a crash of one of its nodes): both ends see it fail.</summary>
public sealed class LinkCutException(string message) : IOException(message);
