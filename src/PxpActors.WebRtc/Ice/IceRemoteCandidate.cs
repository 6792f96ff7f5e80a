using System.Net;

namespace PxpActors.WebRtc.Ice;

/// <summary>A remote candidate with its resolved transport address; a peer-reflexive one may be upgraded later.</summary>
internal sealed class IceRemoteCandidate(IceCandidate candidate, IPEndPoint endPoint)
{
    public IceCandidate Candidate { get; set; } = candidate;
    public IPEndPoint EndPoint { get; } = endPoint;
}
