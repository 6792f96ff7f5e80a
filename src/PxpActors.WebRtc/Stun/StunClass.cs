namespace PxpActors.WebRtc.Stun;

/// <summary>The two class bits of a STUN message type (RFC 8489 §5).</summary>
public enum StunClass
{
    /// <summary>A request, answered by a response with its transaction id.</summary>
    Request = 0b00,
    /// <summary>An indication, never answered.</summary>
    Indication = 0b01,
    /// <summary>A success response.</summary>
    SuccessResponse = 0b10,
    /// <summary>An error response, with an ERROR-CODE.</summary>
    ErrorResponse = 0b11,
}
