namespace PxpActors.Resources;

/// <summary>
/// Received bytes one session holds for readers that have not taken them, in its stage and in its channels, charged to
/// the node's budget as well. The stage adds what it keeps and channels take off what their readers took (on their
/// threads). Once the session has ended, <see cref="Close"/> gives back what is still held: bytes nobody will read.
/// </summary>
internal sealed class SessionBuffer(NodeResources node, long limit)
{
    private long _held;
    private int _closed;

    public long Held => Volatile.Read(ref _held);

    public long Limit { get; } = limit;

    public NodeResources Node { get; } = node;

    public bool IsOverLimit => Held > Limit;

    /// <summary>Adds <paramref name="delta"/> bytes (negative: taken by a reader).</summary>
    public void Add(long delta)
    {
        if (delta == 0 || Volatile.Read(ref _closed) == 1) return;
        Interlocked.Add(ref _held, delta);
        Node.AddBufferedBytes(delta);
        // Closed meanwhile: give back what the close did not see (its exchange and this one never take the same bytes).
        if (Volatile.Read(ref _closed) == 1) Node.AddBufferedBytes(-Interlocked.Exchange(ref _held, 0));
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1) return;
        Node.AddBufferedBytes(-Interlocked.Exchange(ref _held, 0));
    }
}
