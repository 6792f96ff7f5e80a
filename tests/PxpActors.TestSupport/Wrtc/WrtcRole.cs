namespace PxpActors.TestSupport.Wrtc;

/// <summary>Which side of the offer/answer exchange the libwebrtc peer plays.</summary>
public enum WrtcRole
{
    /// <summary>Creates the data channel and the offer.</summary>
    Offerer,

    /// <summary>Waits for an offer and answers it.</summary>
    Answerer,
}
