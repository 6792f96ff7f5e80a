namespace PxpActors.WebRtc.Stun;

/// <summary>STUN method numbers (RFC 8489 §18.2); ICE needs only Binding.</summary>
public static class StunMethod
{
    /// <summary>Binding, the only method ICE uses.</summary>
    public const ushort Binding = 0x001;
}
