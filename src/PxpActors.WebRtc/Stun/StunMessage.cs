using System.Buffers.Binary;
using System.Security.Cryptography;
using PxpActors.WebRtc.Stun.Attributes;

namespace PxpActors.WebRtc.Stun;

/// <summary>
/// A STUN message (RFC 8489 §5): a 20-byte header and attributes. <see cref="Parse"/> is strict and bounded;
/// <see cref="Encode"/> appends MESSAGE-INTEGRITY and FINGERPRINT when asked.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     Transaction ID (96 bits)                  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed class StunMessage
{
    /// <summary>The fixed magic cookie of RFC 8489, bytes 4-7 of every message.</summary>
    public const uint MagicCookie = 0x2112A442;
    /// <summary>Bytes of the message header.</summary>
    public const int HeaderLength = 20;

    /// <summary>More attributes than any legitimate ICE or binding message carries.</summary>
    public const int MaxAttributes = 32;

    private const int AttributeHeaderLength = 4;
    private const int IntegrityLength = AttributeHeaderLength + MessageIntegrityAttribute.HmacLength;
    private const int FingerprintLength = AttributeHeaderLength + 4;

    private readonly byte[]? _received;
    private readonly int _integrityOffset = -1;

    /// <summary>A message of <paramref name="type"/> with its transaction id and attributes, in order.</summary>
    public StunMessage(StunMessageType type, StunTransactionId transactionId, IReadOnlyList<StunAttribute> attributes)
    {
        Type = type;
        TransactionId = transactionId;
        Attributes = attributes;
    }

    private StunMessage(StunMessageType type, StunTransactionId transactionId, IReadOnlyList<StunAttribute> attributes,
        byte[] received, int integrityOffset)
        : this(type, transactionId, attributes)
    {
        _received = received;
        _integrityOffset = integrityOffset;
    }

    /// <summary>The message's method and class.</summary>
    public StunMessageType Type { get; }
    /// <summary>The transaction id that pairs a response with its request.</summary>
    public StunTransactionId TransactionId { get; }

    /// <summary>
    /// The attributes in wire order. For a parsed message this includes MESSAGE-INTEGRITY and FINGERPRINT
    /// and excludes anything that followed MESSAGE-INTEGRITY (which RFC 8489 §14.5 says to ignore).
    /// </summary>
    public IReadOnlyList<StunAttribute> Attributes { get; }

    /// <summary>The first attribute of type <typeparamref name="T"/> (RFC 8489 §14: later duplicates are ignored).</summary>
    public T? Get<T>() where T : StunAttribute
    {
        foreach (var attribute in Attributes)
        {
            if (attribute is T match) return match;
        }
        return null;
    }

    /// <summary>True when the message carries an attribute of type &lt;typeparamref name="T"/&gt;.</summary>
    public bool Has<T>() where T : StunAttribute => Get<T>() is not null;

    /// <summary>Comprehension-required attribute types this stack did not understand (for a 420 response).</summary>
    public IReadOnlyList<ushort> UnknownComprehensionRequired =>
        Attributes.OfType<UnknownAttribute>().Where(a => a.IsComprehensionRequired).Select(a => a.AttributeType).ToList();

    /// <summary>
    /// Cheap check that <paramref name="datagram"/> looks like STUN (top bits, length, cookie) without
    /// parsing attributes.
    /// </summary>
    public static bool IsStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderLength
        && (datagram[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == MagicCookie
        && BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]) == datagram.Length - HeaderLength;

    /// <summary>
    /// Serialises the message. With a key, MESSAGE-INTEGRITY is appended (HMAC-SHA1); with
    /// <paramref name="fingerprint"/>, FINGERPRINT comes last.
    /// </summary>
    public byte[] Encode(ReadOnlySpan<byte> integrityKey = default, bool fingerprint = false)
    {
        var bodyLength = 0;
        foreach (var attribute in Attributes)
        {
            if (attribute is MessageIntegrityAttribute or FingerprintAttribute)
                throw new InvalidOperationException("MESSAGE-INTEGRITY and FINGERPRINT are added by Encode, not listed as attributes.");
            bodyLength += AttributeHeaderLength + Padded(attribute.ValueLength);
        }
        var attributesLength = bodyLength;
        if (!integrityKey.IsEmpty) bodyLength += IntegrityLength;
        if (fingerprint) bodyLength += FingerprintLength;
        if (bodyLength > ushort.MaxValue) throw new InvalidOperationException($"A STUN message body of {bodyLength} bytes is too long.");

        var buffer = new byte[HeaderLength + bodyLength];
        BinaryPrimitives.WriteUInt16BigEndian(buffer, Type.ToWire());
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), MagicCookie);
        TransactionId.Write(buffer.AsSpan(8));

        var offset = HeaderLength;
        foreach (var attribute in Attributes)
        {
            var length = attribute.ValueLength;
            if (length > ushort.MaxValue) throw new InvalidOperationException($"Attribute 0x{attribute.Type:x4} is too long.");
            WriteAttributeHeader(buffer, offset, attribute.Type, length);
            attribute.WriteValue(buffer.AsSpan(offset + AttributeHeaderLength, length), TransactionId);
            offset += AttributeHeaderLength + Padded(length);
        }
        Span<byte> span = buffer;
        if (!integrityKey.IsEmpty)
        {
            // The HMAC covers the header with its length already counting MESSAGE-INTEGRITY (RFC 8489 §14.5).
            WriteLength(span, attributesLength + IntegrityLength);
            WriteAttributeHeader(buffer, offset, StunAttributeType.MessageIntegrity, MessageIntegrityAttribute.HmacLength);
            HMACSHA1.HashData(integrityKey, span[..offset], span.Slice(offset + AttributeHeaderLength, MessageIntegrityAttribute.HmacLength));
            offset += IntegrityLength;
        }
        if (fingerprint)
        {
            WriteLength(span, bodyLength);
            WriteAttributeHeader(buffer, offset, StunAttributeType.Fingerprint, 4);
            BinaryPrimitives.WriteUInt32BigEndian(span[(offset + AttributeHeaderLength)..], StunCrc32.Compute(span[..offset]) ^ FingerprintAttribute.XorMask);
        }
        WriteLength(span, bodyLength);
        return buffer;
    }

    /// <summary>
    /// Parses one STUN message. Throws <see cref="StunFormatException"/> for anything malformed: bad header,
    /// lengths that do not add up, a bad attribute value, too many attributes, an attribute after
    /// FINGERPRINT, or a FINGERPRINT that does not match.
    /// </summary>
    public static StunMessage Parse(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < HeaderLength)
            throw new StunFormatException($"A STUN message has a 20-byte header; got {datagram.Length} bytes.");
        if ((datagram[0] & 0xC0) != 0)
            throw new StunFormatException("The two top bits of a STUN message are not zero.");
        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != MagicCookie)
            throw new StunFormatException("The STUN magic cookie is missing.");
        int declared = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (declared % 4 != 0)
            throw new StunFormatException($"A STUN message length is a multiple of 4; got {declared}.");
        if (declared != datagram.Length - HeaderLength)
            throw new StunFormatException($"The STUN header declares {declared} body bytes but {datagram.Length - HeaderLength} arrived.");

        var type = StunMessageType.FromWire(BinaryPrimitives.ReadUInt16BigEndian(datagram));
        var transactionId = StunTransactionId.Read(datagram[8..]);
        var attributes = new List<StunAttribute>();
        var integrityOffset = -1;
        var offset = HeaderLength;
        while (offset < datagram.Length)
        {
            if (datagram.Length - offset < AttributeHeaderLength)
                throw new StunFormatException("A STUN attribute header is cut short.");
            var attributeType = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            var valueOffset = offset + AttributeHeaderLength;
            if (Padded(length) > datagram.Length - valueOffset)
                throw new StunFormatException($"STUN attribute 0x{attributeType:x4} declares {length} bytes, more than the message holds.");
            var value = datagram.Slice(valueOffset, length);

            if (attributeType == StunAttributeType.Fingerprint)
            {
                if (valueOffset + Padded(length) != datagram.Length)
                    throw new StunFormatException("FINGERPRINT must be the last STUN attribute.");
                var carried = FingerprintAttribute.Parse(value);
                var expected = StunCrc32.Compute(datagram[..offset]) ^ FingerprintAttribute.XorMask;
                if (carried.Value != expected)
                    throw new StunFormatException("The STUN FINGERPRINT does not match the message.");
                attributes.Add(carried);
            }
            else if (integrityOffset < 0)
            {
                if (attributes.Count == MaxAttributes)
                    throw new StunFormatException($"A STUN message with more than {MaxAttributes} attributes is refused.");
                attributes.Add(StunAttributeReader.Read(attributeType, value, transactionId));
                if (attributeType == StunAttributeType.MessageIntegrity) integrityOffset = offset;
            }
            offset = valueOffset + Padded(length);
        }
        return new StunMessage(type, transactionId, attributes, datagram.ToArray(), integrityOffset);
    }

    /// <summary>
    /// True when this parsed message carries MESSAGE-INTEGRITY and it matches <paramref name="key"/>.
    /// Compared in constant time.
    /// </summary>
    public bool VerifyIntegrity(ReadOnlySpan<byte> key)
    {
        if (_received is null || _integrityOffset < 0) return false;
        var covered = _received.AsSpan(0, _integrityOffset).ToArray();
        WriteLength(covered, _integrityOffset + IntegrityLength - HeaderLength);
        Span<byte> expected = stackalloc byte[MessageIntegrityAttribute.HmacLength];
        HMACSHA1.HashData(key, covered, expected);
        var carried = _received.AsSpan(_integrityOffset + AttributeHeaderLength, MessageIntegrityAttribute.HmacLength);
        return CryptographicOperations.FixedTimeEquals(expected, carried);
    }

    /// <inheritdoc/>
    public override string ToString() => $"STUN {Type} tx {TransactionId} ({Attributes.Count} attributes)";

    private static int Padded(int length) => (length + 3) & ~3;

    private static void WriteLength(Span<byte> message, int bodyLength) =>
        BinaryPrimitives.WriteUInt16BigEndian(message[2..], (ushort)bodyLength);

    private static void WriteAttributeHeader(byte[] buffer, int offset, ushort type, int length)
    {
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset), type);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(offset + 2), (ushort)length);
    }
}
