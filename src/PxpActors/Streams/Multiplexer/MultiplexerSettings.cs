namespace PxpActors.Streams.Multiplexer;

/// <summary>The bounds of one multiplexer: everything a peer can make it hold.</summary>
/// <param name="MaxFramePayload">Largest frame payload accepted from the peer; a larger one closes the session.</param>
/// <param name="MaxSubstreams">Channels open at once, ours and the peer's together.</param>
/// <param name="SubstreamBufferBytes">Bytes buffered for one substream before the transport is no longer read.</param>
/// <param name="MaxSendFramePayload">Writes larger than this are split, so substreams interleave fairly.</param>
/// <param name="MaxQueuedControlFrames">
/// Frames of control substreams (RPC) waiting for the transport; past it the peer is not reading and the session fails.
/// </param>
public sealed record MultiplexerSettings(
    int MaxFramePayload = 1024 * 1024,
    int MaxSubstreams = 1024,
    int SubstreamBufferBytes = 256 * 1024,
    int MaxSendFramePayload = 64 * 1024,
    int MaxQueuedControlFrames = 256)
{
    public static MultiplexerSettings Default { get; } = new();
}
