using System.Buffers.Binary;

namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>
/// Incoming SSN Reset Request (RFC 6525 section 4.2): asks the peer to reset its outgoing streams (our
/// incoming ones). We parse it and answer "denied"; WebRTC closes channels with outgoing resets only.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Parameter Type = 14       |  Parameter Length = 8 + 2 * N |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Re-configuration Request Sequence Number             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Stream Number 1 (optional)   |    Stream Number 2 (optional) |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// /                            ......                             /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record IncomingSsnResetRequestParameter(uint RequestSequenceNumber, IReadOnlyList<ushort> Streams) : Parameter
{
    /// <inheritdoc/>
    public override ParameterType Type => ParameterType.IncomingSsnResetRequest;
    /// <inheritdoc/>
    public override int ValueLength => 4 + 2 * Streams.Count;

    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, RequestSequenceNumber);
        for (var i = 0; i < Streams.Count; i++)
            BinaryPrimitives.WriteUInt16BigEndian(destination[(4 + 2 * i)..], Streams[i]);
    }

    internal static IncomingSsnResetRequestParameter ReadValue(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4 || value.Length % 2 != 0)
            throw new SctpProtocolException($"Incoming SSN Reset Request has bad length {value.Length + HeaderLength}.");
        var streams = new ushort[(value.Length - 4) / 2];
        for (var i = 0; i < streams.Length; i++)
            streams[i] = BinaryPrimitives.ReadUInt16BigEndian(value[(4 + 2 * i)..]);
        return new(BinaryPrimitives.ReadUInt32BigEndian(value), streams);
    }
}
