using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace PxpActors.WebRtc.Ice.Mdns;

/// <summary>
/// The two DNS messages a one-shot mDNS lookup needs (RFC 6762 §5.1, RFC 1035 §4): an A/AAAA question for a
/// ".local" name, and the addresses a response gives for it. Parsing is bounded (name length, compression
/// jumps, record counts); anything malformed yields no address rather than an exception.
/// <code>
///  header: ID | flags | QDCOUNT | ANCOUNT | NSCOUNT | ARCOUNT   (6 × 16 bits)
///  question: QNAME (labels) | QTYPE | QCLASS (top bit: unicast response wanted)
///  record:   NAME | TYPE | CLASS | TTL (32) | RDLENGTH | RDATA
/// </code>
/// </summary>
internal static class MdnsMessage
{
    public const ushort TypeA = 1;
    public const ushort TypeAaaa = 28;
    private const ushort ClassInternet = 1;
    private const ushort UnicastResponse = 0x8000;
    private const int HeaderLength = 12;
    private const int MaxNameLength = 255;
    private const int MaxCompressionJumps = 16;
    private const int MaxRecords = 64;

    /// <summary>A query for the A and AAAA records of <paramref name="name"/>, asking for a unicast reply.</summary>
    public static byte[] Query(ushort id, string name)
    {
        var labels = name.TrimEnd('.').Split('.');
        if (labels.Any(l => l.Length is 0 or > 63) || Encoding.UTF8.GetByteCount(name) > MaxNameLength)
            throw new ArgumentException($"\"{name}\" is not a valid DNS name.", nameof(name));
        var message = new List<byte>(HeaderLength + 2 * (name.Length + 6));
        Span<byte> header = stackalloc byte[HeaderLength];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 2); // QDCOUNT: A and AAAA
        message.AddRange(header.ToArray());
        foreach (var type in new[] { TypeA, TypeAaaa })
        {
            foreach (var label in labels)
            {
                var bytes = Encoding.UTF8.GetBytes(label);
                message.Add((byte)bytes.Length);
                message.AddRange(bytes);
            }
            message.Add(0);
            message.Add((byte)(type >> 8));
            message.Add((byte)type);
            message.Add((byte)((ClassInternet | UnicastResponse) >> 8));
            message.Add((byte)ClassInternet);
        }
        return [.. message];
    }

    /// <summary>The A/AAAA addresses a response carries for <paramref name="name"/> (answers and additional records).</summary>
    public static IReadOnlyList<IPAddress> Addresses(ReadOnlySpan<byte> response, string name)
    {
        var found = new List<IPAddress>();
        if (response.Length < HeaderLength || (response[2] & 0x80) == 0) return found; // not a response
        int questions = BinaryPrimitives.ReadUInt16BigEndian(response[4..]);
        var records = BinaryPrimitives.ReadUInt16BigEndian(response[6..]) + BinaryPrimitives.ReadUInt16BigEndian(response[8..])
            + BinaryPrimitives.ReadUInt16BigEndian(response[10..]);
        if (questions > MaxRecords || records > MaxRecords) return found;
        var offset = HeaderLength;
        for (var i = 0; i < questions; i++)
        {
            if (ReadName(response, ref offset) is null || offset + 4 > response.Length) return found;
            offset += 4;
        }
        var wanted = name.TrimEnd('.');
        for (var i = 0; i < records; i++)
        {
            var owner = ReadName(response, ref offset);
            if (owner is null || offset + 10 > response.Length) return found;
            var type = BinaryPrimitives.ReadUInt16BigEndian(response[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(response[(offset + 8)..]);
            offset += 10;
            if (offset + length > response.Length) return found;
            var data = response.Slice(offset, length);
            offset += length;
            if (!owner.Equals(wanted, StringComparison.OrdinalIgnoreCase)) continue;
            if ((type == TypeA && length == 4) || (type == TypeAaaa && length == 16)) found.Add(new IPAddress(data));
        }
        return found;
    }

    /// <summary>Reads a possibly compressed name; null when malformed. Advances past it in the message.</summary>
    private static string? ReadName(ReadOnlySpan<byte> message, ref int offset)
    {
        var name = new StringBuilder();
        var position = offset;
        var jumps = 0;
        var end = -1;
        while (true)
        {
            if (position >= message.Length) return null;
            var length = message[position];
            if (length == 0)
            {
                position++;
                break;
            }
            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length || ++jumps > MaxCompressionJumps) return null;
                if (end < 0) end = position + 2;
                position = ((length & 0x3F) << 8) | message[position + 1];
                continue;
            }
            if ((length & 0xC0) != 0 || position + 1 + length > message.Length) return null;
            if (name.Length > 0) name.Append('.');
            name.Append(Encoding.UTF8.GetString(message.Slice(position + 1, length)));
            if (name.Length > MaxNameLength) return null;
            position += 1 + length;
        }
        offset = end >= 0 ? end : position;
        return name.ToString();
    }
}
