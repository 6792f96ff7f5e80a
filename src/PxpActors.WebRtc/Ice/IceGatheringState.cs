namespace PxpActors.WebRtc.Ice;

/// <summary>Progress of local candidate gathering (W3C <c>RTCIceGatheringState</c>).</summary>
public enum IceGatheringState
{
    /// <summary>Gathering has not started.</summary>
    New,
    /// <summary>Local candidates are being gathered.</summary>
    Gathering,
    /// <summary>Every local candidate has been gathered.</summary>
    Complete,
}
