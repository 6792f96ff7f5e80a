namespace PxpActors.WebRtc.Sdp;

/// <summary>An <c>a=group</c> attribute (RFC 5888), e.g. <c>BUNDLE 0</c> (RFC 9143): semantics and member mids.</summary>
public sealed record SdpGroup(string Semantics, IReadOnlyList<string> Mids)
{
    /// <summary>The BUNDLE semantics (RFC 9143).</summary>
    public const string Bundle = "BUNDLE";

    /// <inheritdoc/>
    public override string ToString() => Mids.Count == 0 ? Semantics : $"{Semantics} {string.Join(' ', Mids)}";
}
