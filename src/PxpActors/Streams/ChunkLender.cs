namespace PxpActors.Streams;

/// <summary>
/// Where a transport stage that lends its chunks shows the lease of the chunk it pushed last, to the multiplexer joined
/// to it (on the same interpreter, so between a push and the next pull): a substream that forwards a slice of that chunk
/// without copying it holds the lease for as long as the slice is in use. One per materialization.
/// </summary>
internal sealed class ChunkLender
{
    /// <summary>The lease of the chunk last pushed and not yet done with; null between chunks.</summary>
    public ChunkLease? Current { get; set; }
}
