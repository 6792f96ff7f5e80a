namespace PxpActors.Multiplexing;

/// <summary>Our outgoing channel of one substream: its number, and how far it got on the wire.</summary>
internal sealed class LocalChannel(uint number)
{
    public uint Number { get; } = number;

    /// <summary>Its open frame is queued: the peer knows the number.</summary>
    public bool Announced { get; set; }

    public bool EndQueued { get; set; }

    /// <summary>The peer ended or reset our channel from its side.</summary>
    public bool PeerFinished { get; set; }
}
