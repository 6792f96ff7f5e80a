namespace PxpActors.WebRtc.Ice;

/// <summary>Where an agent stands, in the vocabulary of the W3C <c>RTCIceConnectionState</c>.</summary>
public enum IceConnectionState
{
    /// <summary>Gathering or waiting for the peer; no check sent yet.</summary>
    New,

    /// <summary>Connectivity checks are running; no pair selected yet.</summary>
    Checking,

    /// <summary>A nominated pair is selected and consent is fresh.</summary>
    Connected,

    /// <summary>Consent checks went unanswered for a while; may recover.</summary>
    Disconnected,

    /// <summary>No pair worked, the connect timeout passed, or consent expired. Terminal.</summary>
    Failed,

    /// <summary>Closed locally. Terminal.</summary>
    Closed,
}
