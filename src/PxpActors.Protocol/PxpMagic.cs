namespace PxpActors.Protocol;

/// <summary>The 5 bytes "#PXP#" each side writes first, before any multiplex frame.</summary>
public static class PxpMagic
{
    /// <summary>The magic's bytes.</summary>
    public static ReadOnlySpan<byte> Bytes => "#PXP#"u8;

    /// <summary>The magic's length in bytes.</summary>
    public const int Length = 5;
}
