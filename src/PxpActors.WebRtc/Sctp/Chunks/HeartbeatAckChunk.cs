using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// HEARTBEAT ACK (RFC 9260 section 3.3.6): returns the Heartbeat Info of a HEARTBEAT unchanged.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 5    |  Chunk Flags  |    Heartbeat Ack Length       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \            Heartbeat Information TLV (Variable-Length)        /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record HeartbeatAckChunk(HeartbeatInfoParameter Info) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.HeartbeatAck;
    /// <inheritdoc/>
    public override int ValueLength => Info.Length;
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) => Parameter.WriteList([Info], destination);
    internal static HeartbeatAckChunk ReadValue(ReadOnlySpan<byte> value) => new(HeartbeatInfo.Read(ChunkType.HeartbeatAck, value));
}
