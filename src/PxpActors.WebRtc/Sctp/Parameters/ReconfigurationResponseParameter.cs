using System.Buffers.Binary;

namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>
/// Re-configuration Response (RFC 6525 section 4.4): the result of the request with the same sequence
/// number. The two TSN fields appear only in answers to SSN/TSN reset requests.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Parameter Type = 16       |      Parameter Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Re-configuration Response Sequence Number             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                            Result                             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   Sender's Next TSN (optional)                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  Receiver's Next TSN (optional)               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record ReconfigurationResponseParameter(
    uint ResponseSequenceNumber,
    ReconfigurationResult Result,
    uint? SendersNextTsn = null,
    uint? ReceiversNextTsn = null) : Parameter
{
    /// <inheritdoc/>
    public override ParameterType Type => ParameterType.ReconfigurationResponse;
    /// <inheritdoc/>
    public override int ValueLength => SendersNextTsn is null ? 8 : 16;

    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, ResponseSequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], (uint)Result);
        if (SendersNextTsn is { } senders)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[8..], senders);
            BinaryPrimitives.WriteUInt32BigEndian(destination[12..], ReceiversNextTsn ?? 0);
        }
    }

    internal static ReconfigurationResponseParameter ReadValue(ReadOnlySpan<byte> value)
    {
        if (value.Length != 8 && value.Length != 16)
            throw new SctpProtocolException($"Re-configuration Response has bad length {value.Length + HeaderLength}.");
        var sequence = BinaryPrimitives.ReadUInt32BigEndian(value);
        var result = (ReconfigurationResult)BinaryPrimitives.ReadUInt32BigEndian(value[4..]);
        return value.Length == 8
            ? new(sequence, result)
            : new(sequence, result, BinaryPrimitives.ReadUInt32BigEndian(value[8..]), BinaryPrimitives.ReadUInt32BigEndian(value[12..]));
    }
}
