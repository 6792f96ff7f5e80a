namespace PxpActors.Protocol.Framing;

/// <summary>
/// The low 3 bits of a multiplex frame header. Odd types address a channel the receiver created,
/// even types one the sender created.
/// </summary>
public enum FrameType : byte
{
    /// <summary>Opens a channel; the payload is the channel's name.</summary>
    Open = 0,
    /// <summary>Data on a channel the receiver of the frame opened.</summary>
    DataFromReceiver = 1,
    /// <summary>Data on a channel the sender of the frame opened.</summary>
    DataFromCreator = 2,
    /// <summary>The end of a channel the receiver of the frame opened (no more data from the sender).</summary>
    EndFromReceiver = 3,
    /// <summary>The end of a channel the sender of the frame opened.</summary>
    EndFromCreator = 4,
    /// <summary>Resets a channel the receiver of the frame opened; the payload is the error text.</summary>
    ErrorFromReceiver = 5,
    /// <summary>Resets a channel the sender of the frame opened; the payload is the error text.</summary>
    ErrorFromCreator = 6,
}

/// <summary>What a <see cref="FrameType"/> says about the channel it addresses.</summary>
public static class FrameTypeExtensions
{
    /// <summary>True when the frame's channel number is one the receiver of the frame allocated.</summary>
    public static bool AddressesReceiversChannel(this FrameType type) => ((byte)type & 1) == 1;
}
