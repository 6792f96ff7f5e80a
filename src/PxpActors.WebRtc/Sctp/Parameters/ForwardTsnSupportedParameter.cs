namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>
/// Forward-TSN-Supported (RFC 3758 section 3.1): in INIT / INIT ACK, announces partial reliability.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    Parameter Type = 49152     |  Parameter Length = 4         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record ForwardTsnSupportedParameter : Parameter
{
    /// <inheritdoc/>
    public override ParameterType Type => ParameterType.ForwardTsnSupported;
    /// <inheritdoc/>
    public override int ValueLength => 0;
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) { }

    internal static ForwardTsnSupportedParameter ReadValue(ReadOnlySpan<byte> value) =>
        value.Length == 0 ? new() : throw new SctpProtocolException($"Forward-TSN-Supported must be empty, has {value.Length} bytes.");
}
