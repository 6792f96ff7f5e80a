using System.Globalization;
using System.Net;
using System.Text;

namespace PxpActors.WebRtc.Ice;

/// <summary>
/// Candidate foundations (RFC 8445 §5.1.1.3): equal for candidates of the same type, base address and STUN
/// server. A stable FNV-1a hash printed in decimal, as libwebrtc does.
/// </summary>
internal static class IceFoundation
{
    public static string Compute(IceCandidateType type, IPAddress baseAddress, IPEndPoint? server)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes($"{type}|{baseAddress}|{server}"))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return hash.ToString(CultureInfo.InvariantCulture);
    }
}
