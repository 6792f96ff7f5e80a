namespace PxpActors.WebRtc.Sctp;

/// <summary>What became of one received DATA chunk; anything but Accepted asks for an immediate SACK.</summary>
internal enum DataReceiveResult
{
    Accepted,
    Duplicate,

    /// <summary>No room in our window (or beyond what a SACK can describe); the peer will retransmit.</summary>
    Dropped,
}
