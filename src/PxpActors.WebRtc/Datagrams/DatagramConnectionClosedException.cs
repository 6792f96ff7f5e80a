namespace PxpActors.WebRtc.Datagrams;

/// <summary>Thrown by a datagram path that was closed, locally or because a layer below failed.</summary>
public sealed class DatagramConnectionClosedException(string message, Exception? cause = null)
    : Exception(message, cause);
