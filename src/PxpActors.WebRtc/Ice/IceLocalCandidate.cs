using System.Net;

namespace PxpActors.WebRtc.Ice;

/// <summary>A local candidate with the socket it was gathered on; checks for it are sent from <see cref="Base"/>.</summary>
internal sealed record IceLocalCandidate(IceCandidate Candidate, int SocketId, IPEndPoint Base, int LocalPreference);
