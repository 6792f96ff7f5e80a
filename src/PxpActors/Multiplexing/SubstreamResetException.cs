namespace PxpActors.Multiplexing;

/// <summary>The peer destroyed one substream (an error frame). Only that substream fails.</summary>
public sealed class SubstreamResetException(string substream, string message)
    : Exception($"Peer reset substream \"{substream}\": {(message.Length == 0 ? "Channel destroyed" : message)}")
{
    /// <summary>The name of the substream the peer reset.</summary>
    public string Substream { get; } = substream;
}
