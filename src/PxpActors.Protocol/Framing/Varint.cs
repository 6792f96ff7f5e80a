namespace PxpActors.Protocol.Framing;

/// <summary>Unsigned LEB128 as multiplex writes it: 7 bits a byte, least significant group first.</summary>
public static class Varint
{
    /// <summary>Longest encoding we accept: 5 bytes hold 35 bits, more than any header or length we allow.</summary>
    public const int MaxLength = 5;

    /// <summary>How many bytes <paramref name="value"/> takes as a varint.</summary>
    public static int SizeOf(uint value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/> and returns the bytes written.</summary>
    public static int Write(uint value, Span<byte> destination)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }
}
