namespace PxpActors.WebRtc.Stun;

/// <summary>
/// A STUN message type: a 12-bit method and a 2-bit class, interleaved on the wire (RFC 8489 §5).
/// <code>
///  0                 1
///  2  3  4 5 6 7 8 9 0 1 2 3 4 5
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
/// |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
/// +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct StunMessageType(ushort Method, StunClass Class)
{
    /// <summary>A Binding request.</summary>
    public static readonly StunMessageType BindingRequest = new(StunMethod.Binding, StunClass.Request);
    /// <summary>A Binding success response.</summary>
    public static readonly StunMessageType BindingSuccess = new(StunMethod.Binding, StunClass.SuccessResponse);
    /// <summary>A Binding error response.</summary>
    public static readonly StunMessageType BindingError = new(StunMethod.Binding, StunClass.ErrorResponse);
    /// <summary>A Binding indication (a keepalive).</summary>
    public static readonly StunMessageType BindingIndication = new(StunMethod.Binding, StunClass.Indication);

    /// <summary>The 14-bit message type field, method and class bits interleaved as RFC 8489 lays them out.</summary>
    public ushort ToWire()
    {
        if (Method > 0xFFF) throw new ArgumentOutOfRangeException(nameof(Method), Method, "A STUN method has 12 bits.");
        var m = Method;
        var c = (int)Class;
        return (ushort)(((m & 0xF80) << 2) | ((m & 0x070) << 1) | (m & 0x00F) | ((c & 0b10) << 7) | ((c & 0b01) << 4));
    }

    /// <summary>Decodes the 14 low bits of a message type field (the two top bits are checked by the caller).</summary>
    public static StunMessageType FromWire(ushort value)
    {
        var method = (ushort)((value & 0x000F) | ((value & 0x00E0) >> 1) | ((value & 0x3E00) >> 2));
        var cls = (StunClass)(((value & 0x0100) >> 7) | ((value & 0x0010) >> 4));
        return new StunMessageType(method, cls);
    }

    /// <inheritdoc/>
    public override string ToString() => $"method 0x{Method:x3} {Class}";
}
