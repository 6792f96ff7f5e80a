using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace PxpActors.WebRtc.Tests.Ice.Mdns;

/// <summary>Responses as an mDNS responder sends them to a one-shot query.</summary>
internal static class MdnsResponses
{
    /// <summary>The query's ID and first question echoed, then answers naming it by pointer.</summary>
    public static byte[] Answer(byte[] query, params (ushort Type, byte[] Data)[] answers)
    {
        var questionEnd = 12 + query.AsSpan(12).IndexOf((byte)0) + 1 + 4;
        var message = new List<byte>(query[..questionEnd]);
        message[2] = 0x84; // response, authoritative
        BinaryPrimitives.WriteUInt16BigEndian(CollectionsMarshal.AsSpan(message)[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(CollectionsMarshal.AsSpan(message)[6..], (ushort)answers.Length);
        foreach (var (type, data) in answers)
        {
            message.AddRange([0xC0, 12, (byte)(type >> 8), (byte)type, 0x80, 1, 0, 0, 0, 120, 0, (byte)data.Length]);
            message.AddRange(data);
        }
        return [.. message];
    }
}
