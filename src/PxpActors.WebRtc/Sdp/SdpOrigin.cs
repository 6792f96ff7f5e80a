namespace PxpActors.WebRtc.Sdp;

/// <summary>
/// The <c>o=</c> line (RFC 8866 section 5.2): <c>username sess-id sess-version nettype addrtype address</c>.
/// JSEP uses <c>-</c> as username, a random 62-bit session id, a version bumped on each new description,
/// and a placeholder address.
/// </summary>
public sealed record SdpOrigin(string Username, string SessionId, ulong SessionVersion, string NetType, string AddressType, string Address)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Username} {SessionId} {SessionVersion} {NetType} {AddressType} {Address}";
}
