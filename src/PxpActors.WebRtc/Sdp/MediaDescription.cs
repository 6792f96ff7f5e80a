using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;

namespace PxpActors.WebRtc.Sdp;

/// <summary>
/// One <c>m=</c> section (RFC 8866 section 5.14) with the attributes WebRTC data channels use modelled
/// (RFC 8839 ICE, RFC 8842 DTLS, RFC 8841 SCTP, RFC 9143 mid); every other attribute and line is kept
/// in order in <see cref="Attributes"/> and <see cref="OtherLines"/>, so audio and video sections from
/// browsers survive a parse and write.
/// </summary>
public sealed record MediaDescription
{
    /// <summary>The media type of a data channel section.</summary>
    public const string ApplicationMedia = "application";
    /// <summary>The protocol of a data channel section.</summary>
    public const string DataChannelProtocol = "UDP/DTLS/SCTP";
    /// <summary>The format of a data channel section.</summary>
    public const string DataChannelFormat = "webrtc-datachannel";

    /// <summary><c>audio</c>, <c>video</c>, <c>application</c>, …</summary>
    public required string Media { get; init; }

    /// <summary>9 (the discard port) until a default candidate exists; 0 marks a rejected section.</summary>
    public required int Port { get; init; }

    /// <summary>The rarely used <c>port/count</c> form; null when absent.</summary>
    public int? PortCount { get; init; }

    /// <summary>The m= line's protocol.</summary>
    public required string Protocol { get; init; }

    /// <summary>The m= line's formats.</summary>
    public required IReadOnlyList<string> Formats { get; init; }

    /// <summary>The section's c= line, if any.</summary>
    public SdpConnection? Connection { get; init; }

    /// <summary><c>i=</c>, <c>b=</c>, <c>k=</c> lines, in order.</summary>
    public IReadOnlyList<SdpLine> OtherLines { get; init; } = [];

    /// <summary>The a=candidate lines.</summary>
    public IReadOnlyList<IceCandidate> Candidates { get; init; } = [];

    /// <summary>True when a=end-of-candidates is present.</summary>
    public bool EndOfCandidates { get; init; }

    /// <summary>The a=ice-ufrag, if the section has its own.</summary>
    public string? IceUfrag { get; init; }

    /// <summary>The a=ice-pwd, if the section has its own.</summary>
    public string? IcePwd { get; init; }

    /// <summary>The a=ice-options tokens.</summary>
    public IReadOnlyList<string> IceOptions { get; init; } = [];

    /// <summary>The a=fingerprint lines.</summary>
    public IReadOnlyList<DtlsFingerprint> Fingerprints { get; init; } = [];

    /// <summary>The a=setup role, if any.</summary>
    public DtlsSetup? Setup { get; init; }

    /// <summary>The a=mid.</summary>
    public string? Mid { get; init; }

    /// <summary>The a=sctp-port.</summary>
    public int? SctpPort { get; init; }

    /// <summary>The a=max-message-size.</summary>
    public long? MaxMessageSize { get; init; }

    /// <summary>Every attribute not modelled above, in order.</summary>
    public IReadOnlyList<SdpAttribute> Attributes { get; init; } = [];

    /// <summary>Port 0 rejects a section unless it is <c>bundle-only</c> (JSEP section 5.2.1).</summary>
    public bool IsRejected => Port == 0 && !HasAttribute("bundle-only");

    /// <summary>An SCTP-over-DTLS section for data channels (RFC 8841), over UDP or TCP.</summary>
    public bool IsDataChannel =>
        Media == ApplicationMedia && Formats.Contains(DataChannelFormat) && Protocol.EndsWith("DTLS/SCTP", StringComparison.Ordinal);

    /// <summary>True when an a= line named <paramref name="name"/> is present.</summary>
    public bool HasAttribute(string name) => Attributes.Any(a => a.Name == name);

    /// <inheritdoc/>
    public override string ToString() => SdpWriter.WriteMedia(this);
}
