namespace PxpActors.WebRtc.Sctp;

/// <summary>An operation needed a live association, but it was closed, aborted or failed (the reason says which).</summary>
public sealed class SctpAssociationClosedException(string message, Exception? cause = null) : Exception(message, cause);
