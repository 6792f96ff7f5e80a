namespace PxpActors.WebRtc.Ice;

/// <summary>Progress of local candidate gathering (W3C <c>RTCIceGatheringState</c>).</summary>
public enum IceGatheringState
{
    New,
    Gathering,
    Complete,
}
