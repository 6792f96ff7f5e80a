namespace PxpActors.WebRtc.DataChannels;

/// <summary>
/// RTCDataChannelInit as WebRTC defines it (RFC 8831 6.4, W3C webrtc): ordered or not, at most one of
/// MaxRetransmits / MaxPacketLifeTime, sub-protocol, and negotiated channels with an agreed id.
/// </summary>
public sealed record DataChannelOptions
{
    /// <summary>Deliver messages in the order sent (default true).</summary>
    public bool Ordered { get; init; } = true;
    /// <summary>Make the channel partially reliable: retransmit a message at most this often.</summary>
    public int? MaxRetransmits { get; init; }
    /// <summary>Make the channel partially reliable: retransmit a message for at most this long.</summary>
    public TimeSpan? MaxPacketLifeTime { get; init; }
    /// <summary>The sub-protocol announced in DATA_CHANNEL_OPEN.</summary>
    public string Protocol { get; init; } = "";

    /// <summary>Both sides create the channel themselves with the same <see cref="Id"/>; no DCEP is exchanged.</summary>
    public bool Negotiated { get; init; }

    /// <summary>Required for negotiated channels; for in-band ones our DTLS-role parity picks it when null.</summary>
    public ushort? Id { get; init; }

    /// <summary>RFC 8831 6.4 priority: 128 below normal, 256 normal, 512 high, 1024 extra high.</summary>
    public ushort Priority { get; init; } = 256;

    internal void Validate()
    {
        if (MaxRetransmits is not null && MaxPacketLifeTime is not null)
            throw new ArgumentException("Set MaxRetransmits or MaxPacketLifeTime, not both.");
        if (MaxRetransmits is < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxRetransmits), MaxRetransmits, "Cannot be negative.");
        if (MaxPacketLifeTime is { } life && (life < TimeSpan.Zero || life.TotalMilliseconds > uint.MaxValue))
            throw new ArgumentOutOfRangeException(nameof(MaxPacketLifeTime), life, "Must be 0..2^32-1 ms.");
        if (Negotiated && Id is null)
            throw new ArgumentException("A negotiated channel needs an Id.");
        if (Id is 65535)
            throw new ArgumentOutOfRangeException(nameof(Id), Id, "Stream id 65535 is reserved.");
    }
}
