namespace PxpActors.WebRtc.Sdp;

/// <summary>An <c>a=</c> line we do not model (RFC 8866 section 5.13): a flag when <see cref="Value"/> is null.</summary>
public sealed record SdpAttribute(string Name, string? Value = null)
{
    /// <inheritdoc/>
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";
}
