namespace PxpActors.Protocol.Rpc;

/// <summary>One entry of a getpeers reply: a peer the answering node can relay to, for 15 seconds.</summary>
public sealed record Candidate(string Id, string Network, ConnectInfo? ConnectInfo);
