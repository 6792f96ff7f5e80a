namespace PxpActors.Carriers;

/// <summary>
/// How outgoing data is cut into frames, the same for the multiplexer's scheduler and for writers that send their frames
/// themselves: at most the send limit per frame, unless the rest is larger by at most a 1,024th of it (64 bytes at
/// 64 KiB). A nested session over a substream (a relayed one) wraps each of its frames in a header of a few bytes; at
/// the limit, every one of them would otherwise cost two frames here, and two chunks at every hop after.
/// </summary>
internal static class DataFrameSizes
{
    /// <summary>How far a frame may go past <paramref name="maxSendFramePayload"/> rather than leave a sliver for a frame of its own.</summary>
    public static int SlackOf(int maxSendFramePayload) => maxSendFramePayload / 1024;

    /// <summary>The payload of the next data frame when <paramref name="left"/> bytes wait to be sent.</summary>
    public static int NextPayload(long left, int maxSendFramePayload) =>
        left <= maxSendFramePayload + SlackOf(maxSendFramePayload) ? (int)left : maxSendFramePayload;
}
