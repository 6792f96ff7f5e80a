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
    public const string ApplicationMedia = "application";
    public const string DataChannelProtocol = "UDP/DTLS/SCTP";
    public const string DataChannelFormat = "webrtc-datachannel";

    /// <summary><c>audio</c>, <c>video</c>, <c>application</c>, …</summary>
    public required string Media { get; init; }

    /// <summary>9 (the discard port) until a default candidate exists; 0 marks a rejected section.</summary>
    public required int Port { get; init; }

    /// <summary>The rarely used <c>port/count</c> form; null when absent.</summary>
    public int? PortCount { get; init; }

    public required string Protocol { get; init; }

    public required IReadOnlyList<string> Formats { get; init; }

    public SdpConnection? Connection { get; init; }

    /// <summary><c>i=</c>, <c>b=</c>, <c>k=</c> lines, in order.</summary>
    public IReadOnlyList<SdpLine> OtherLines { get; init; } = [];

    public IReadOnlyList<IceCandidate> Candidates { get; init; } = [];

    public bool EndOfCandidates { get; init; }

    public string? IceUfrag { get; init; }

    public string? IcePwd { get; init; }

    public IReadOnlyList<string> IceOptions { get; init; } = [];

    public IReadOnlyList<DtlsFingerprint> Fingerprints { get; init; } = [];

    public DtlsSetup? Setup { get; init; }

    public string? Mid { get; init; }

    public int? SctpPort { get; init; }

    public long? MaxMessageSize { get; init; }

    /// <summary>Every attribute not modelled above, in order.</summary>
    public IReadOnlyList<SdpAttribute> Attributes { get; init; } = [];

    /// <summary>Port 0 rejects a section unless it is <c>bundle-only</c> (JSEP section 5.2.1).</summary>
    public bool IsRejected => Port == 0 && !HasAttribute("bundle-only");

    /// <summary>An SCTP-over-DTLS section for data channels (RFC 8841), over UDP or TCP.</summary>
    public bool IsDataChannel =>
        Media == ApplicationMedia && Formats.Contains(DataChannelFormat) && Protocol.EndsWith("DTLS/SCTP", StringComparison.Ordinal);

    public bool HasAttribute(string name) => Attributes.Any(a => a.Name == name);

    public override string ToString() => SdpWriter.WriteMedia(this);
}
