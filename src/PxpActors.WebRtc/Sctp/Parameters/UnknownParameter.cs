namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>
/// A parameter this stack does not interpret (RFC 9260 3.2.1: the two high bits of the type say whether a
/// receiver skips it). Kept verbatim so it can be reported or re-serialized.
/// </summary>
public sealed record UnknownParameter(ParameterType RawType, ReadOnlyMemory<byte> Value) : Parameter
{
    /// <inheritdoc/>
    public override ParameterType Type => RawType;
    /// <inheritdoc/>
    public override int ValueLength => Value.Length;
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) => Value.Span.CopyTo(destination);
}
