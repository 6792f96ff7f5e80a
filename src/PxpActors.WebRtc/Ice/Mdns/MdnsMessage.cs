using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace PxpActors.WebRtc.Ice.Mdns;

/// <summary>
/// The two DNS messages a one-shot mDNS lookup needs (RFC 6762 §5.1, RFC 1035 §4): an A/AAAA question for a
/// ".local" name, and the addresses a response gives for it. Parsing is bounded (name length, compression
/// jumps, record counts) and throws only <see cref="MdnsFormatException"/>; a resolver takes that as no address.
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

    /// <summary>
    /// The A/AAAA addresses a response to our query <paramref name="id"/> carries for <paramref name="name"/> (answers
    /// and additional records); empty for anything else: malformed, not a response, or answering another query
    /// (a one-shot query's responder repeats its ID, RFC 6762 §6.7).
    /// </summary>
    public static IReadOnlyList<IPAddress> Addresses(ReadOnlySpan<byte> response, ushort id, string name)
    {
        try
        {
            var parsed = ParseResponse(response, name);
            return parsed.Id == id ? parsed.Addresses : [];
        }
        catch (MdnsFormatException)
        {
            return [];
        }
    }

    /// <summary>
    /// The A/AAAA addresses a response heard on the group carries for <paramref name="name"/>: one to our query
    /// <paramref name="id"/>, or a multicast response (ID 0, RFC 6762 §18.1); empty for anything else.
    /// </summary>
    public static IReadOnlyList<IPAddress> GroupAnswerAddresses(ReadOnlySpan<byte> response, ushort id, string name)
    {
        try
        {
            var parsed = ParseResponse(response, name);
            return parsed.Id == id || parsed.Id == 0 ? parsed.Addresses : [];
        }
        catch (MdnsFormatException)
        {
            return [];
        }
    }

    /// <summary>
    /// Reads a response: its ID and the A/AAAA addresses it gives for <paramref name="name"/>. Names are compared where
    /// they lie, never built, so a response of pointers costs no more than its size. Throws
    /// <see cref="MdnsFormatException"/> for a message that is malformed or not a response.
    /// </summary>
    public static MdnsResponse ParseResponse(ReadOnlySpan<byte> message, string name)
    {
        if (message.Length < HeaderLength) throw new MdnsFormatException("A DNS message has a 12-byte header.");
        if ((message[2] & 0x80) == 0) throw new MdnsFormatException("The message is a query, not a response.");
        int questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        var records = BinaryPrimitives.ReadUInt16BigEndian(message[6..]) + BinaryPrimitives.ReadUInt16BigEndian(message[8..])
            + BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (questions > MaxRecords || records > MaxRecords)
            throw new MdnsFormatException($"More than {MaxRecords} questions or records.");
        var wanted = Encoding.UTF8.GetBytes(name.TrimEnd('.'));
        var offset = HeaderLength;
        for (var i = 0; i < questions; i++)
        {
            SkipName(message, ref offset, wanted);
            if (offset + 4 > message.Length) throw new MdnsFormatException("A question is cut short.");
            offset += 4;
        }
        var found = new List<IPAddress>();
        for (var i = 0; i < records; i++)
        {
            var owned = SkipName(message, ref offset, wanted);
            if (offset + 10 > message.Length) throw new MdnsFormatException("A resource record is cut short.");
            var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
            offset += 10;
            if (offset + length > message.Length) throw new MdnsFormatException("A record's data runs past the message.");
            var data = message.Slice(offset, length);
            offset += length;
            if (owned && ((type == TypeA && length == 4) || (type == TypeAaaa && length == 16))) found.Add(new IPAddress(data));
        }
        return new MdnsResponse(BinaryPrimitives.ReadUInt16BigEndian(message), found);
    }

    /// <summary>
    /// Steps past a possibly compressed name (RFC 1035 §4.1.4), telling whether it is <paramref name="wanted"/> (UTF-8,
    /// dotted, compared ignoring ASCII case). Bounded by the name length and the number of pointers followed.
    /// </summary>
    private static bool SkipName(ReadOnlySpan<byte> message, ref int offset, ReadOnlySpan<byte> wanted)
    {
        var position = offset;
        var jumps = 0;
        var end = -1;
        var length = 0; // of the name as dotted text so far
        var matches = true;
        while (true)
        {
            if (position >= message.Length) throw new MdnsFormatException("A name runs past the message.");
            var label = message[position];
            if (label == 0)
            {
                position++;
                break;
            }
            if ((label & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length) throw new MdnsFormatException("A name pointer is cut short.");
                if (++jumps > MaxCompressionJumps) throw new MdnsFormatException("A name follows too many pointers.");
                if (end < 0) end = position + 2;
                position = ((label & 0x3F) << 8) | message[position + 1];
                continue;
            }
            if ((label & 0xC0) != 0) throw new MdnsFormatException("A label of a reserved type.");
            if (position + 1 + label > message.Length) throw new MdnsFormatException("A label runs past the message.");
            var text = message.Slice(position + 1, label);
            var at = length == 0 ? 0 : length + 1; // where this label starts in the dotted name
            matches = matches && (at == 0 || (at - 1 < wanted.Length && wanted[at - 1] == '.'))
                && at + label <= wanted.Length && Ascii.EqualsIgnoreCase(text, wanted.Slice(at, label));
            length = at + label;
            if (length > MaxNameLength) throw new MdnsFormatException($"A name longer than {MaxNameLength} bytes.");
            position += 1 + label;
        }
        offset = end >= 0 ? end : position;
        return matches && length == wanted.Length;
    }
}

/// <summary>What a response says: its ID, and the addresses it gives for the name asked about.</summary>
internal sealed record MdnsResponse(ushort Id, IReadOnlyList<IPAddress> Addresses);
