namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>Result codes of a Re-configuration Response (RFC 6525 section 4.4).</summary>
public enum ReconfigurationResult : uint
{
    /// <summary>Success - Nothing to do.</summary>
    SuccessNothingToDo = 0,
    /// <summary>Success - Performed.</summary>
    SuccessPerformed = 1,
    /// <summary>Denied.</summary>
    Denied = 2,
    /// <summary>Error - Wrong SSN.</summary>
    ErrorWrongSsn = 3,
    /// <summary>Error - Request already in progress.</summary>
    ErrorRequestAlreadyInProgress = 4,
    /// <summary>Error - Bad Sequence Number.</summary>
    ErrorBadSequenceNumber = 5,
    /// <summary>In progress: ask again later.</summary>
    InProgress = 6,
}
