namespace PxpActors.WebRtc.Signaling;

/// <summary>The JSEP type of a session description signal; simple-peer only ever sends these two.</summary>
public enum SessionDescriptionType
{
    Offer,
    Answer,
}
