using PxpActors.Protocol.Rpc;

namespace PxpActors.Actors;

/// <summary>
/// Picks the candidate getNewPeer connects to, among those it can use (they accept incoming sessions, and are neither
/// this node nor a node it is connected to or connecting to). Never called with an empty list.
/// </summary>
public delegate Candidate CandidateSelector(IReadOnlyList<Candidate> usable);

/// <summary>Ready-made <see cref="CandidateSelector"/>s.</summary>
public static class CandidateSelectors
{
    /// <summary>Each usable candidate equally likely, as the reference picks.</summary>
    public static CandidateSelector Uniform { get; } = usable => usable[Random.Shared.Next(usable.Count)];
}
