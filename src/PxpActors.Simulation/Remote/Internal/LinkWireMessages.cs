namespace PxpActors.Simulation.Remote.Internal;

/// <summary>A dialing link side (the sender) offers a link to another system's endpoint.</summary>
internal sealed record LinkOffer(string LinkId, string Tag) : IRemoteSimulationMessage;

/// <summary>The accepting link side (the sender) pairs with the dialing one.</summary>
internal sealed record LinkOfferAccepted(string LinkId) : IRemoteSimulationMessage;

/// <summary>The endpoint refused the offer (no acceptor).</summary>
internal sealed record LinkOfferRefused(string LinkId, string Reason) : IRemoteSimulationMessage;
