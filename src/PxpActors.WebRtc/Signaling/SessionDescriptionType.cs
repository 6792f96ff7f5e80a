namespace PxpActors.WebRtc.Signaling;

/// <summary>The JSEP type of a session description signal; simple-peer only ever sends these two.</summary>
public enum SessionDescriptionType
{
    /// <summary>An offer.</summary>
    Offer,
    /// <summary>An answer to an offer.</summary>
    Answer,
}
