using PxpActors.WebRtc.Sctp.Parameters;

namespace PxpActors.WebRtc.Sctp.Chunks;

/// <summary>
/// HEARTBEAT (RFC 9260 section 3.3.5): probes an idle path; the peer echoes the info in HEARTBEAT ACK.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Type = 4    |  Chunk Flags  |      Heartbeat Length         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \            Heartbeat Information TLV (Variable-Length)        /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record HeartbeatChunk(HeartbeatInfoParameter Info) : Chunk
{
    /// <inheritdoc/>
    public override ChunkType Type => ChunkType.Heartbeat;
    /// <inheritdoc/>
    public override int ValueLength => Info.Length;
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) => Parameter.WriteList([Info], destination);
    internal static HeartbeatChunk ReadValue(ReadOnlySpan<byte> value) => new(HeartbeatInfo.Read(ChunkType.Heartbeat, value));
}

/// <summary>Reads the single Heartbeat Info parameter HEARTBEAT and HEARTBEAT ACK carry.</summary>
internal static class HeartbeatInfo
{
    public static HeartbeatInfoParameter Read(ChunkType type, ReadOnlySpan<byte> value) =>
        Parameter.ParseAll(value) is [HeartbeatInfoParameter info]
            ? info
            : throw new SctpProtocolException($"{type} must carry exactly one Heartbeat Info parameter.");
}
