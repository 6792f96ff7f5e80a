using PxpActors.WebRtc.PeerConnections;

namespace PxpActors.Simulation.WebRtc;

/// <summary>
/// What a simulated offer or answer says, written as SDP attributes so the description travels the relayed session as a
/// real one does: the connection's id, the node that made it, and, for an offer that other ActorSystems may answer, the
/// full remote path of the offering system's WebRTC link endpoint (<c>CrossSystemWebRtc</c>).
/// </summary>
internal sealed record SimulatedDescription(string Id, string Node, string? Endpoint)
{
    private const string IdAttribute = "a=pxp-simulated:";
    private const string NodeAttribute = "a=pxp-simulated-node:";
    private const string EndpointAttribute = "a=pxp-simulated-endpoint:";

    public string ToSdp() =>
        $"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n{IdAttribute}{Id}\r\n{NodeAttribute}{Node}\r\n" +
        (Endpoint is null ? "" : $"{EndpointAttribute}{Endpoint}\r\n");

    public static SimulatedDescription Parse(string sdp) =>
        new(Attribute(sdp, IdAttribute) ?? throw new PeerConnectionException("Not a simulated WebRTC description"),
            Attribute(sdp, NodeAttribute) ?? "", Attribute(sdp, EndpointAttribute));

    private static string? Attribute(string sdp, string name)
    {
        var at = sdp.IndexOf(name, StringComparison.Ordinal);
        if (at < 0) return null;
        var start = at + name.Length;
        var end = sdp.IndexOf('\r', start);
        return sdp[start..(end < 0 ? sdp.Length : end)];
    }
}
