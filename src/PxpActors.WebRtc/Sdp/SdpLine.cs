namespace PxpActors.WebRtc.Sdp;

/// <summary>
/// A line of a type we do not model (<c>i=</c>, <c>b=</c>, <c>k=</c>, <c>r=</c>, …), kept so a description
/// written back out still carries it.
/// </summary>
public sealed record SdpLine(char Type, string Value)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Type}={Value}";
}
