namespace PxpActors.WebRtc.Sctp.Parameters;

/// <summary>
/// State Cookie (RFC 9260 section 3.3.3.1): opaque to the receiver of the INIT ACK, echoed back verbatim in
/// COOKIE ECHO. Ours is signed with HMAC so that only we could have produced it.
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Type = 7             |          Length               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// \                            Cookie                             /
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public sealed record StateCookieParameter(ReadOnlyMemory<byte> Cookie) : Parameter
{
    /// <inheritdoc/>
    public override ParameterType Type => ParameterType.StateCookie;
    /// <inheritdoc/>
    public override int ValueLength => Cookie.Length;
    /// <inheritdoc/>
    public override void WriteValue(Span<byte> destination) => Cookie.Span.CopyTo(destination);
    internal static StateCookieParameter ReadValue(ReadOnlySpan<byte> value) => new(value.ToArray());
}
