using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace PxpActors.WebRtc.Stun.Attributes;

/// <summary>
/// The address layout shared by MAPPED-ADDRESS and XOR-MAPPED-ADDRESS (RFC 8489 §14.1, §14.2); the XOR
/// form masks the port with the cookie's top half and the address with cookie ‖ transaction id.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |         Port / X-Port         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Address / X-Address (32 bits or 128 bits)            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
internal static class StunAddress
{
    private const byte FamilyIPv4 = 0x01;
    private const byte FamilyIPv6 = 0x02;

    public static int Length(IPEndPoint endPoint) => endPoint.AddressFamily == AddressFamily.InterNetwork ? 8 : 20;

    public static IPEndPoint Read(ReadOnlySpan<byte> value, StunTransactionId? xorWith, string attribute)
    {
        if (value.Length < 4) throw new StunFormatException($"{attribute} is too short ({value.Length} bytes).");
        var family = value[1];
        var addressLength = family switch
        {
            FamilyIPv4 => 4,
            FamilyIPv6 => 16,
            _ => throw new StunFormatException($"{attribute} has unknown address family 0x{family:x2}."),
        };
        StunValue.RequireLength(value, 4 + addressLength, attribute);
        Span<byte> address = stackalloc byte[addressLength];
        value.Slice(4, addressLength).CopyTo(address);
        int port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        if (xorWith is { } transactionId)
        {
            port ^= (int)(StunMessage.MagicCookie >> 16);
            ApplyMask(address, transactionId);
        }
        return new IPEndPoint(new IPAddress(address), port);
    }

    public static void Write(Span<byte> destination, IPEndPoint endPoint, StunTransactionId? xorWith)
    {
        var addressLength = endPoint.AddressFamily == AddressFamily.InterNetwork ? 4 : 16;
        destination[0] = 0;
        destination[1] = addressLength == 4 ? FamilyIPv4 : FamilyIPv6;
        var port = endPoint.Port;
        var address = destination.Slice(4, addressLength);
        endPoint.Address.TryWriteBytes(address, out _);
        if (xorWith is { } transactionId)
        {
            port ^= (int)(StunMessage.MagicCookie >> 16);
            ApplyMask(address, transactionId);
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)port);
    }

    public static void RequireSupportedFamily(IPEndPoint endPoint)
    {
        if (endPoint.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw new ArgumentException($"STUN carries IPv4 and IPv6 addresses only, not {endPoint.AddressFamily}.", nameof(endPoint));
    }

    private static void ApplyMask(Span<byte> address, StunTransactionId transactionId)
    {
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunMessage.MagicCookie);
        transactionId.Write(mask[4..]);
        for (var i = 0; i < address.Length; i++) address[i] ^= mask[i];
    }
}
