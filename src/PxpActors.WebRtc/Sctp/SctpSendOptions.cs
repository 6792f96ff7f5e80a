namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// Delivery options of one message. MaxRetransmits and MaxLifetime are RFC 3758 partial reliability
/// (WebRTC's maxRetransmits / maxPacketLifeTime); at most one of them is set.
/// </summary>
public sealed record SctpSendOptions(bool Unordered = false, int? MaxRetransmits = null, TimeSpan? MaxLifetime = null)
{
    /// <summary>Reliable and ordered: the defaults.</summary>
    public static readonly SctpSendOptions Reliable = new();

    internal void Validate()
    {
        if (MaxRetransmits is < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxRetransmits), MaxRetransmits, "Cannot be negative.");
        if (MaxLifetime is { } life && life < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxLifetime), life, "Cannot be negative.");
        if (MaxRetransmits is not null && MaxLifetime is not null)
            throw new ArgumentException("Set MaxRetransmits or MaxLifetime, not both (RFC 8831 6.6).");
    }
}
