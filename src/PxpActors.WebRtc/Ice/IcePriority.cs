namespace PxpActors.WebRtc.Ice;

/// <summary>The priority formulas of RFC 8445 §5.1.2 (candidates) and §6.1.2.3 (pairs).</summary>
public static class IcePriority
{
    /// <summary>Recommended type preferences (RFC 8445 §5.1.2.2).</summary>
    public static int TypePreference(IceCandidateType type) => type switch
    {
        IceCandidateType.Host => 126,
        IceCandidateType.PeerReflexive => 110,
        IceCandidateType.ServerReflexive => 100,
        _ => 0,
    };

    /// <summary>priority = 2^24 × type preference + 2^8 × local preference + (256 − component id).</summary>
    public static uint ForCandidate(IceCandidateType type, int localPreference, int component)
    {
        if (localPreference is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(localPreference), localPreference, "A local preference has 16 bits.");
        if (component is < 1 or > 256) throw new ArgumentOutOfRangeException(nameof(component), component, "A component id lies in 1..256.");
        return (uint)((TypePreference(type) << 24) + (localPreference << 8) + (256 - component));
    }

    /// <summary>
    /// pair priority = 2^32 × MIN(G, D) + 2 × MAX(G, D) + (G &gt; D ? 1 : 0), where G is the controlling
    /// agent's candidate priority and D the controlled agent's.
    /// </summary>
    public static ulong ForPair(uint controlling, uint controlled) =>
        ((ulong)Math.Min(controlling, controlled) << 32) + 2ul * Math.Max(controlling, controlled) + (controlling > controlled ? 1ul : 0ul);
}
