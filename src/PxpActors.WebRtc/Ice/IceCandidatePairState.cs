namespace PxpActors.WebRtc.Ice;

/// <summary>The state of one candidate pair in the checklist (RFC 8445 §6.1.2.6).</summary>
public enum IceCandidatePairState
{
    /// <summary>Not checked yet, and not to be until another pair of its foundation succeeds.</summary>
    Frozen,
    /// <summary>To be checked when its turn comes.</summary>
    Waiting,
    /// <summary>A check was sent and awaits its response.</summary>
    InProgress,
    /// <summary>A check succeeded: the path works.</summary>
    Succeeded,
    /// <summary>Checks failed or timed out.</summary>
    Failed,
}
