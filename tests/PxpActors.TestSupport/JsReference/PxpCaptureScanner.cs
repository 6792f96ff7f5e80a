using System.Text;

namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// Finds where RPC messages end in the bytes one PXP node wrote (magic, then multiplex frames
/// <c>varint(channel &lt;&lt; 3 | type) varint(length) payload</c>). Just enough of the wire format to
/// cut a capture at message boundaries; it is not a codec, and it trusts its input only as far as
/// the reference is trusted.
/// </summary>
internal static class PxpCaptureScanner
{
    public static ReadOnlySpan<byte> Magic => "#PXP#"u8;

    private const int OpenType = 0;
    private const int CreatorDataType = 2;
    private const int MaxVarintBytes = 10;

    /// <summary>
    /// The offset just past the frame that completes RPC message number <paramref name="message"/>
    /// (1-based, counted over the sender's "pxp" channel), or -1 when it has not fully arrived.
    /// </summary>
    public static int EndOfRpcMessage(ReadOnlySpan<byte> stream, int message)
    {
        if (stream.Length < Magic.Length)
        {
            return -1;
        }

        if (!stream[..Magic.Length].SequenceEqual(Magic))
        {
            throw new JsReferenceException(
                $"The captured stream does not start with the PXP magic: {Convert.ToHexString(stream[..Magic.Length])}");
        }

        var names = new Dictionary<ulong, string>();
        var position = Magic.Length;
        var messages = 0;
        while (TryReadVarint(stream, ref position, out var header) && TryReadVarint(stream, ref position, out var length))
        {
            if (length > (ulong)(stream.Length - position))
            {
                return -1;
            }

            var payload = stream.Slice(position, (int)length);
            position += (int)length;
            var channel = header >> 3;
            switch ((int)(header & 7))
            {
                case OpenType:
                    names[channel] = payload.IsEmpty ? channel.ToString() : Encoding.UTF8.GetString(payload);
                    break;
                case CreatorDataType when names.GetValueOrDefault(channel) == "pxp":
                    messages += payload.Count((byte)'\n');
                    if (messages >= message)
                    {
                        return position;
                    }

                    break;
            }
        }

        return -1;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> stream, ref int position, out ulong value)
    {
        value = 0;
        for (var i = 0; i < MaxVarintBytes; i++)
        {
            if (position + i >= stream.Length)
            {
                return false;
            }

            var b = stream[position + i];
            value |= (ulong)(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0)
            {
                position += i + 1;
                return true;
            }
        }

        throw new JsReferenceException($"The captured stream has a varint longer than {MaxVarintBytes} bytes at offset {position}.");
    }
}
