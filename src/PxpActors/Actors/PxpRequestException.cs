namespace PxpActors.Actors;

/// <summary>A request to a peer failed: it replied with an error, replied malformed, or did not reply in time.</summary>
public sealed class PxpRequestException(string message, Exception? innerException = null) : Exception(message, innerException);
