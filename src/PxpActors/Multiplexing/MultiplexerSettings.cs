using PxpActors.Buffers;
using PxpActors.Carriers;

namespace PxpActors.Multiplexing;

/// <summary>The bounds of one multiplexer: everything a peer can make it hold.</summary>
/// <param name="MaxFramePayload">Largest frame payload accepted from the peer; a larger one closes the session.</param>
/// <param name="MaxSubstreams">Channels open at once, ours and the peer's together.</param>
/// <param name="SubstreamBufferBytes">
/// Bytes buffered for one substream before the transport is no longer read. Large payloads wait as leased slices of the
/// transport's read buffers, each keeping at most four times its size alive (see <see cref="ChunkLease.IsWorthSharing"/>).
/// </param>
/// <param name="MaxSendFramePayload">
/// Writes larger than this are split, so substreams interleave fairly; one that is larger by at most
/// <see cref="SendFrameSlack"/> bytes is not (see <see cref="DataFrameSizes.NextPayload"/>).
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
    /// How long a substream the peer opened waits for us to claim it; past it, what it holds and what the peer still
    /// sends on it is dropped, so it never stops the connection being read (as Akka's GroupBy reaps unclaimed substreams).
    /// </summary>
    public TimeSpan UnclaimedSubstreamTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How far a frame may go past the send limit rather than leave a sliver for a frame of its own: a 1,024th of
    /// it (64 bytes at 64 KiB); see <see cref="DataFrameSizes"/>.
    /// </summary>
    public int SendFrameSlack => DataFrameSizes.SlackOf(MaxSendFramePayload);
}
