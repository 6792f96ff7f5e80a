using System.Buffers.Binary;
using System.Text;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>Bounded readers and writers shared by the attribute files.</summary>
internal static class StunValue
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void RequireLength(ReadOnlySpan<byte> value, int expected, string attribute)
    {
        if (value.Length != expected)
            throw new StunFormatException($"{attribute} must be {expected} bytes long, not {value.Length}.");
    }

    public static string ReadText(ReadOnlySpan<byte> value, int maxBytes, string attribute)
    {
        if (value.Length > maxBytes)
            throw new StunFormatException($"{attribute} is {value.Length} bytes long; at most {maxBytes} are allowed.");
        try
        {
            return StrictUtf8.GetString(value);
        }
        catch (DecoderFallbackException)
        {
            throw new StunFormatException($"{attribute} is not valid UTF-8.");
        }
    }

    public static byte[] EncodeText(string text, int maxBytes, string attribute)
    {
        var bytes = StrictUtf8.GetBytes(text);
        if (bytes.Length > maxBytes)
            throw new ArgumentException($"{attribute} is {bytes.Length} bytes of UTF-8; at most {maxBytes} are allowed.", nameof(text));
        return bytes;
    }

    public static uint ReadUInt32(ReadOnlySpan<byte> value, string attribute)
    {
        RequireLength(value, 4, attribute);
        return BinaryPrimitives.ReadUInt32BigEndian(value);
    }

    public static ulong ReadUInt64(ReadOnlySpan<byte> value, string attribute)
    {
        RequireLength(value, 8, attribute);
        return BinaryPrimitives.ReadUInt64BigEndian(value);
    }
}
