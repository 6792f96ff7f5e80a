namespace PxpActors.Simulation.Observation;

/// <summary>What a simulation holds open: after every node has closed, each count returns to the baseline taken before.</summary>
/// <param name="Actors">Actors under the user guardian of the simulation's systems (exchanges, sessions, stream stages).</param>
/// <param name="Links">Simulated links whose pipes still run.</param>
/// <param name="WebRtcConnections">Simulated peer connections not yet closed.</param>
/// <param name="WebRtcChannels">Simulated data channels open.</param>
/// <param name="LiveNodes">Nodes whose exchange runs.</param>
public sealed record SimulationCensus(int Actors, int Links, int WebRtcConnections, int WebRtcChannels, int LiveNodes);
