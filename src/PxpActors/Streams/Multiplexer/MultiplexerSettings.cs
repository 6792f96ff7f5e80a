namespace PxpActors.Streams.Multiplexer;

/// <summary>The bounds of one multiplexer: everything a peer can make it hold.</summary>
/// <param name="MaxFramePayload">Largest frame payload accepted from the peer; a larger one closes the session.</param>
/// <param name="MaxSubstreams">Channels open at once, ours and the peer's together.</param>
/// <param name="SubstreamBufferBytes">
/// Bytes buffered for one substream before the transport is no longer read. Large payloads wait as leased slices of the
/// transport's read buffers, each keeping at most four times its size alive (see <see cref="ChunkLease.IsWorthSharing"/>).
/// </param>
/// <param name="MaxSendFramePayload">
/// Writes larger than this are split, so substreams interleave fairly; one that is larger by at most
/// <see cref="SendFrameSlack"/> bytes is not (see <see cref="NextSendFramePayload"/>).
/// </param>
/// <param name="SessionBufferBytes">
/// Received bytes the session holds for readers that have not taken them, all substreams together (each also has its
/// own bound). A peer that takes it past this is sending what it knows nobody reads, and the session fails.
/// </param>
/// <param name="MaxQueuedControlFrames">
/// Frames of control substreams (RPC) waiting for the transport; past it the peer is not reading and the session fails.
/// </param>
public sealed record MultiplexerSettings(
    int MaxFramePayload = 1024 * 1024,
    int MaxSubstreams = 1024,
    int SubstreamBufferBytes = 256 * 1024,
    int MaxSendFramePayload = 64 * 1024,
    int MaxQueuedControlFrames = 256,
    long SessionBufferBytes = 16 * 1024 * 1024)
{
    /// <summary>The defaults of reference.conf's <c>pxp.multiplexer</c>.</summary>
    public static MultiplexerSettings Default { get; } = new();

    /// <summary>
    /// How far a frame may go past the send limit rather than leave a sliver for a frame of its own: a 1,024th of
    /// it (64 bytes at 64 KiB). A nested session over a substream (a relayed one) wraps each of its frames in a
    /// header of a few bytes; at the limit, every one of them would otherwise cost two frames here, and two chunks
    /// at every hop after.
    /// </summary>
    public int SendFrameSlack => SlackOf(MaxSendFramePayload);

    /// <summary>The payload of the next data frame when <paramref name="left"/> bytes wait to be sent.</summary>
    internal static int NextSendFramePayload(long left, int maxSendFramePayload) =>
        left <= maxSendFramePayload + SlackOf(maxSendFramePayload) ? (int)left : maxSendFramePayload;

    private static int SlackOf(int maxSendFramePayload) => maxSendFramePayload / 1024;
}
