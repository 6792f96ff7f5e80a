namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>One (stream, last skipped stream sequence number) pair of a FORWARD TSN.</summary>
public readonly record struct ForwardTsnStream(ushort StreamId, ushort StreamSequenceNumber);
