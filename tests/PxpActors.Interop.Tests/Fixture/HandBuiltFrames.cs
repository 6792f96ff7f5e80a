using System.Text;

namespace PxpActors.Interop.Tests.Fixture;

/// <summary>
/// Multiplex frames written out by hand from PROTOCOL.md section 2, so the fixture's own tests
/// depend on nothing of ours but the document.
/// </summary>
internal static class HandBuiltFrames
{
    public static byte[] Magic => "#PXP#"u8.ToArray();

    /// <summary>varint(channel &lt;&lt; 3 | type) varint(length) payload</summary>
    public static byte[] Frame(int channel, int type, byte[] payload) =>
        [.. Varint((ulong)(channel << 3 | type)), .. Varint((ulong)payload.Length), .. payload];

    /// <summary>Open our channel 0 as "pxp" and send one RPC line on it.</summary>
    public static byte[] OpenPxpWith(string json) => [.. Frame(0, 0, "pxp"u8.ToArray()), .. RpcLine(json)];

    /// <summary>One RPC line on our channel 0 (already opened as "pxp").</summary>
    public static byte[] RpcLine(string json) => Frame(0, 2, Encoding.UTF8.GetBytes(json + "\n"));

    /// <summary>Magic, open "pxp" and hello for <paramref name="network"/>, accepting incoming.</summary>
    public static byte[] SessionStart(string network) =>
        [.. Magic, .. OpenPxpWith($"[\"hello\",\"0\",[1,{{\"pxp\":true,\"relay\":true,\"webrtc\":true}},[\"{network}\"]]]")];

    /// <summary>The payload of the single frame <paramref name="frame"/> holds.</summary>
    public static byte[] PayloadOf(byte[] frame)
    {
        var position = 0;
        ReadVarint(frame, ref position);
        var length = (int)ReadVarint(frame, ref position);
        if (position + length != frame.Length)
        {
            throw new ArgumentException($"Not exactly one frame: {Convert.ToHexString(frame)}", nameof(frame));
        }

        return frame[position..];
    }

    private static ulong ReadVarint(byte[] bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}
