namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>Result codes of a Re-configuration Response (RFC 6525 section 4.4).</summary>
public enum ReconfigurationResult : uint
{
    SuccessNothingToDo = 0,
    SuccessPerformed = 1,
    Denied = 2,
    ErrorWrongSsn = 3,
    ErrorRequestAlreadyInProgress = 4,
    ErrorBadSequenceNumber = 5,
    InProgress = 6,
}
