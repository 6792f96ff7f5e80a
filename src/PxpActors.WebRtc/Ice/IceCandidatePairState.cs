namespace PxpActors.WebRtc.Ice;

/// <summary>The state of one candidate pair in the checklist (RFC 8445 §6.1.2.6).</summary>
public enum IceCandidatePairState
{
    Frozen,
    Waiting,
    InProgress,
    Succeeded,
    Failed,
}
