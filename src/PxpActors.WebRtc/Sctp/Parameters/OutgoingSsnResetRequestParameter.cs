using System.Buffers.Binary;

namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>
/// Outgoing SSN Reset Request (RFC 6525 section 4.1): the sender resets the listed outgoing streams (all of
/// them when the list is empty) once the receiver has everything up to Sender's Last Assigned TSN.
/// WebRTC closes a data channel with it (RFC 8831 section 6.7).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Parameter Type = 13       | Parameter Length = 16 + 2 * N |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Re-configuration Request Sequence Number            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Re-configuration Response Sequence Number           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                Sender's Last Assigned TSN                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Stream Number 1 (optional)   |    Stream Number 2 (optional) |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                            ......                             /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record OutgoingSsnResetRequestParameter(
    uint RequestSequenceNumber,
    uint ResponseSequenceNumber,
    uint SendersLastAssignedTsn,
    IReadOnlyList<ushort> Streams) : Parameter
{
    /// <inheritdoc/>
    public override ParameterType Type => ParameterType.OutgoingSsnResetRequest;
    /// <inheritdoc/>
    public override int ValueLength => 12 + 2 * Streams.Count;

    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, RequestSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ResponseSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], SendersLastAssignedTsn);
        for (var i = 0; i < Streams.Count; i++)
            BinaryPrimitives.WriteUInt16BigEndian(destination[(12 + 2 * i)..], Streams[i]);
    }

    internal static OutgoingSsnResetRequestParameter ReadValue(ReadOnlySpan<byte> value)
    {
        if (value.Length < 12 || value.Length % 2 != 0)
            throw new SctpProtocolException($"Outgoing SSN Reset Request has bad length {value.Length + HeaderLength}.");
        var streams = new ushort[(value.Length - 12) / 2];
        for (var i = 0; i < streams.Length; i++)
            streams[i] = BinaryPrimitives.ReadUInt16BigEndian(value[(12 + 2 * i)..]);
        return new(BinaryPrimitives.ReadUInt32BigEndian(value), BinaryPrimitives.ReadUInt32BigEndian(value[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(value[8..]), streams);
    }
}
