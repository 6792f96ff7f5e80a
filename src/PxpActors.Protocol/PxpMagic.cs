namespace PxpActors.Protocol;

/// <summary>The 5 bytes "#PXP#" each side writes first, before any multiplex frame.</summary>
public static class PxpMagic
{
    public static ReadOnlySpan<byte> Bytes => "#PXP#"u8;

    public const int Length = 5;
}
