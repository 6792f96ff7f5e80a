namespace PxpActors.Diagnostics;

/// <summary>
/// Counts bytes relayed through this node as the hub into <c>pxp.relay.bytes</c>, by direction: from the asker to the
/// candidate, or back. Called once per batch a relay writes (or per throttled piece), never per frame.
/// </summary>
internal static class RelayTraffic
{
    private static readonly KeyValuePair<string, object?> ToCandidate = new("direction", "to-candidate");
    private static readonly KeyValuePair<string, object?> ToAsker = new("direction", "to-asker");

    public static void Relayed(long bytes, bool toCandidate) => PxpMetrics.RelayBytes.Add(bytes, toCandidate ? ToCandidate : ToAsker);
}
