namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// Where one stream id stands in closing (RFC 8831 6.7): each direction is reset separately; only when
/// both are reset is the id free again, so a new channel can never inherit a closing one's traffic.
/// </summary>
internal sealed class StreamResetState
{
    /// <summary>We want our outgoing side reset (queued or in an outstanding request).</summary>
    public bool OutgoingRequested { get; set; }
    public bool OutgoingDone { get; set; }
    public bool IncomingDone { get; set; }
    public bool Closed => OutgoingDone && IncomingDone;
}
