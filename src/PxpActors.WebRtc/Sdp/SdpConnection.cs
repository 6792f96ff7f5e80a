namespace PxpActors.WebRtc.Sdp;

/// <summary>
/// The <c>c=</c> line (RFC 8866 section 5.7). WebRTC ignores it (ICE decides the addresses) but it must be
/// present; JSEP writes <c>IN IP4 0.0.0.0</c> until a default candidate exists.
/// </summary>
public sealed record SdpConnection(string NetType, string AddressType, string Address)
{
    /// <summary>"c=IN IP4 0.0.0.0", as ICE-using descriptions write.</summary>
    public static SdpConnection Placeholder { get; } = new("IN", "IP4", "0.0.0.0");

    /// <inheritdoc/>
    public override string ToString() => $"{NetType} {AddressType} {Address}";
}
