namespace PxpActors.Simulation.Remote;

/// <summary>
/// A message of the simulation that may cross from one ActorSystem to another; <see cref="RemoteSimulationSerializer"/>
/// writes it. Only records of this assembly implement it.
/// </summary>
public interface IRemoteSimulationMessage;
