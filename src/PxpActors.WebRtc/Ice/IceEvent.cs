namespace PxpActors.WebRtc.Ice;

/// <summary>Something the agent's state machine reports to the layer that runs it.</summary>
internal abstract record IceEvent;

/// <summary>A local candidate to trickle to the peer.</summary>
internal sealed record IceLocalCandidateEvent(IceCandidate Candidate) : IceEvent;

/// <summary>Gathering finished: signal end-of-candidates.</summary>
internal sealed record IceGatheringCompleteEvent : IceEvent;

/// <summary>The connection state changed; <see cref="Error"/> is set when it became Failed.</summary>
internal sealed record IceStateChangedEvent(IceConnectionState State, IceException? Error) : IceEvent;

/// <summary>A (new) pair carries the data from now on.</summary>
internal sealed record IceSelectedPairChangedEvent(IceCandidatePair Pair) : IceEvent;

/// <summary>The first pair became valid: data may flow over it before any pair is selected (RFC 8445 §12.1).</summary>
internal sealed record IceFirstValidPairEvent(IceCandidatePair Pair) : IceEvent;
