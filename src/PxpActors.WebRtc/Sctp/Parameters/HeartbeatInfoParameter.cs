namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>
/// Heartbeat Information (RFC 9260 section 3.3.5): opaque sender data echoed back in HEARTBEAT ACK.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    Heartbeat Info Type = 1    |         HB Info Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                  Sender-Specific Heartbeat Info               /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record HeartbeatInfoParameter(ReadOnlyMemory<byte> Info) : Parameter
{
    /// <inheritdoc/>
    public override ParameterType Type => ParameterType.HeartbeatInfo;
    /// <inheritdoc/>
    public override int ValueLength => Info.Length;
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) => Info.Span.CopyTo(destination);
    internal static HeartbeatInfoParameter ReadValue(ReadOnlySpan<byte> value) => new(value.ToArray());
}
