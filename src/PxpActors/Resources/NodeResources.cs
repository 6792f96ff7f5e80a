namespace PxpActors.Resources;

/// <summary>
/// The node-wide part of the budget that running session stages draw on: substreams open and received bytes held for
/// readers, across every session of one exchange. Thread-safe counters rather than an actor: stages charge it on their
/// hot path, where a message per chunk would cost more than the data.
/// </summary>
public sealed class NodeResources
{
    private long _substreams;
    private long _bufferedBytes;
    private long _substreamRefusals;
    private long _sessionBufferRefusals;
    private long _nodeBufferRefusals;

    /// <summary>A budget bounded by <paramref name="limits"/>.</summary>
    public NodeResources(ResourceLimits limits)
    {
        Limits = limits;
        Sockets = new SocketGate(limits.ConnectionCap);
    }

    /// <summary>The node's open sockets, counted as they open and close (its transports take it).</summary>
    public SocketGate Sockets { get; }

    /// <summary>No node-wide limit: for a multiplexer used on its own.</summary>
    public static NodeResources Unlimited() => new(ResourceLimits.Default with { MaxSubstreams = int.MaxValue, NodeBufferBytes = long.MaxValue });

    /// <summary>The limits it holds the node to.</summary>
    public ResourceLimits Limits { get; }

    /// <summary>Substreams open across the node's sessions.</summary>
    public long Substreams => Volatile.Read(ref _substreams);

    /// <summary>Received bytes held for readers across the node's sessions.</summary>
    public long BufferedBytes => Volatile.Read(ref _bufferedBytes);

    /// <summary>Claims the session stages refused so far, by limit.</summary>
    public ResourceRefusals StageRefusals => new(
        Substreams: Volatile.Read(ref _substreamRefusals),
        SessionBuffer: Volatile.Read(ref _sessionBufferRefusals),
        NodeBuffer: Volatile.Read(ref _nodeBufferRefusals));

    /// <summary>True while one more substream fits; otherwise counts the refusal.</summary>
    internal bool HasRoomForSubstream()
    {
        if (Substreams < Limits.MaxSubstreams) return true;
        Interlocked.Increment(ref _substreamRefusals);
        Refused("substreams");
        return false;
    }

    internal void AddSubstreams(long delta)
    {
        if (delta != 0) Interlocked.Add(ref _substreams, delta);
    }

    internal void AddBufferedBytes(long delta) => Interlocked.Add(ref _bufferedBytes, delta);

    internal bool IsOverBufferBudget => BufferedBytes > Limits.NodeBufferBytes;

    internal void CountSessionBufferRefusal()
    {
        Interlocked.Increment(ref _sessionBufferRefusals);
        Refused("session-buffer");
    }

    internal void CountNodeBufferRefusal()
    {
        Interlocked.Increment(ref _nodeBufferRefusals);
        Refused("node-buffer");
    }

    /// <summary>The refusal in the node's metrics too (pxp.refusals, by limit), as the exchange's own are.</summary>
    internal static void Refused(string limit) =>
        Diagnostics.PxpMetrics.Refusals.Add(1, new KeyValuePair<string, object?>("limit", limit));
}

/// <summary>Claims refused by the running sessions' stages since the node started.</summary>
public sealed record ResourceRefusals(long Substreams, long SessionBuffer, long NodeBuffer);
