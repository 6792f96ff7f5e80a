namespace PxpActors.Protocol.Framing;

/// <summary>
/// The low 3 bits of a multiplex frame header. Odd types address a channel the receiver created,
/// even types one the sender created.
/// </summary>
public enum FrameType : byte
{
    Open = 0,
    DataFromReceiver = 1,
    DataFromCreator = 2,
    EndFromReceiver = 3,
    EndFromCreator = 4,
    ErrorFromReceiver = 5,
    ErrorFromCreator = 6,
}

public static class FrameTypeExtensions
{
    /// <summary>True when the frame's channel number is one the receiver of the frame allocated.</summary>
    public static bool AddressesReceiversChannel(this FrameType type) => ((byte)type & 1) == 1;
}
