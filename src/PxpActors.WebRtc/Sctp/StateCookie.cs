using System.Buffers.Binary;
using System.Security.Cryptography;

namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// What we put in an INIT ACK's State Cookie (RFC 9260 section 5.1.3): everything needed to build the
/// association from the COOKIE ECHO alone, so an INIT costs us no state. Signed with HMAC-SHA256 under
/// a per-association secret and time-stamped so forged or stale cookies are refused.
/// <code>
/// version(1) created-unix-ms(8) local-tag(4) peer-tag(4) local-initial-tsn(4) peer-initial-tsn(4)
/// peer-a_rwnd(4) peer-outbound-streams(2) peer-inbound-streams(2) peer-flags(1) hmac-sha256(32)
/// </code>
/// </summary>
internal sealed record StateCookie(
    DateTimeOffset Created,
    uint LocalTag,
    uint PeerTag,
    uint LocalInitialTsn,
    uint PeerInitialTsn,
    uint PeerReceiveWindow,
    ushort PeerOutboundStreams,
    ushort PeerInboundStreams,
    bool PeerSupportsForwardTsn,
    bool PeerSupportsReconfig)
{
    private const byte Version = 1;
    private const int BodyLength = 34;
    private const int MacLength = 32;
    public const int Length = BodyLength + MacLength;

    public byte[] Sign(ReadOnlySpan<byte> secret)
    {
        var bytes = new byte[Length];
        var b = bytes.AsSpan();
        b[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(b[1..], Created.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteUInt32BigEndian(b[9..], LocalTag);
        BinaryPrimitives.WriteUInt32BigEndian(b[13..], PeerTag);
        BinaryPrimitives.WriteUInt32BigEndian(b[17..], LocalInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(b[21..], PeerInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(b[25..], PeerReceiveWindow);
        BinaryPrimitives.WriteUInt16BigEndian(b[29..], PeerOutboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(b[31..], PeerInboundStreams);
        b[33] = (byte)((PeerSupportsForwardTsn ? 1 : 0) | (PeerSupportsReconfig ? 2 : 0));
        HMACSHA256.HashData(secret, b[..BodyLength], b[BodyLength..]);
        return bytes;
    }

    /// <summary>Checks signature and age; throws <see cref="SctpProtocolException"/> on a forged, damaged or stale cookie.</summary>
    public static StateCookie Verify(ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> secret, DateTimeOffset now, TimeSpan lifetime)
    {
        if (cookie.Length != Length || cookie[0] != Version)
            throw new SctpProtocolException($"State cookie has the wrong size or version ({cookie.Length} bytes).");
        Span<byte> mac = stackalloc byte[MacLength];
        HMACSHA256.HashData(secret, cookie[..BodyLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, cookie[BodyLength..]))
            throw new SctpProtocolException("State cookie signature is invalid.");
        var created = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(cookie[1..]));
        if (now - created > lifetime)
            throw new SctpProtocolException($"State cookie is stale (created {created:O}, now {now:O}).");
        var flags = cookie[33];
        return new StateCookie(created,
            BinaryPrimitives.ReadUInt32BigEndian(cookie[9..]), BinaryPrimitives.ReadUInt32BigEndian(cookie[13..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[17..]), BinaryPrimitives.ReadUInt32BigEndian(cookie[21..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[25..]),
            BinaryPrimitives.ReadUInt16BigEndian(cookie[29..]), BinaryPrimitives.ReadUInt16BigEndian(cookie[31..]),
            (flags & 1) != 0, (flags & 2) != 0);
    }
}
