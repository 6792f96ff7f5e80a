namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// Serial number arithmetic (RFC 1982) for 32-bit TSNs and 16-bit stream sequence numbers, which wrap.
/// </summary>
internal static class SerialNumber
{
    public static bool Less(uint a, uint b) => (int)(a - b) < 0;
    public static bool LessOrEqual(uint a, uint b) => (int)(a - b) <= 0;
    public static bool Greater(uint a, uint b) => (int)(a - b) > 0;
    public static bool GreaterOrEqual(uint a, uint b) => (int)(a - b) >= 0;
    public static bool Less(ushort a, ushort b) => (short)(ushort)(a - b) < 0;
    public static bool LessOrEqual(ushort a, ushort b) => (short)(ushort)(a - b) <= 0;

    /// <summary>Orders TSNs that all lie within half the number space of each other.</summary>
    public static readonly IComparer<uint> TsnComparer = Comparer<uint>.Create((a, b) => (int)(a - b));
}
