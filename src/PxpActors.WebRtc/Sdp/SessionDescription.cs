using PxpActors.WebRtc.Dtls;

namespace PxpActors.WebRtc.Sdp;

/// <summary>
/// A session description (RFC 8866) as WebRTC exchanges them in offers and answers. Session-level
/// ICE and DTLS attributes (Firefox puts some there) are modelled as on <see cref="MediaDescription"/>
/// and act as defaults for every section. <see cref="Parse"/> is strict about the lines it understands and
/// keeps the others; <see cref="ToString"/> writes CRLF-terminated lines in libwebrtc's order, so a
/// description libwebrtc produced is written back byte for byte.
/// </summary>
public sealed record SessionDescription
{
    /// <summary>The o= line.</summary>
    public required SdpOrigin Origin { get; init; }

    /// <summary>The s= line ("-" by default).</summary>
    public string SessionName { get; init; } = "-";

    /// <summary>The first <c>t=</c> line; WebRTC always uses <c>0 0</c>.</summary>
    public string Timing { get; init; } = "0 0";

    /// <summary>The session-level c= line, if any.</summary>
    public SdpConnection? Connection { get; init; }

    /// <summary>Session lines not modelled (<c>i=</c>, <c>b=</c>, <c>r=</c>, further <c>t=</c>, …), in order.</summary>
    public IReadOnlyList<SdpLine> OtherLines { get; init; } = [];

    /// <summary>The a=group lines.</summary>
    public IReadOnlyList<SdpGroup> Groups { get; init; } = [];

    /// <summary>True when a=ice-lite is present.</summary>
    public bool IceLite { get; init; }

    /// <summary>The session-level a=ice-ufrag, if any.</summary>
    public string? IceUfrag { get; init; }

    /// <summary>The session-level a=ice-pwd, if any.</summary>
    public string? IcePwd { get; init; }

    /// <summary>The session-level a=ice-options tokens.</summary>
    public IReadOnlyList<string> IceOptions { get; init; } = [];

    /// <summary>The session-level a=fingerprint lines.</summary>
    public IReadOnlyList<DtlsFingerprint> Fingerprints { get; init; } = [];

    /// <summary>The session-level a=setup role, if any.</summary>
    public DtlsSetup? Setup { get; init; }

    /// <summary>Every session attribute not modelled above, in order.</summary>
    public IReadOnlyList<SdpAttribute> Attributes { get; init; } = [];

    /// <summary>The m= sections, in order.</summary>
    public IReadOnlyList<MediaDescription> Media { get; init; } = [];

    /// <summary>Parses a description; malformed input throws <see cref="SdpException"/> naming the line.</summary>
    public static SessionDescription Parse(string sdp) => SdpParser.Parse(sdp);

    /// <summary>The BUNDLE group, if any.</summary>
    public SdpGroup? Bundle => Groups.FirstOrDefault(g => g.Semantics == SdpGroup.Bundle);

    /// <summary>
    /// What our stack needs from the first usable data-channel section, with session-level defaults applied.
    /// Throws <see cref="SdpException"/> when there is none or it lacks ICE credentials or a fingerprint.
    /// </summary>
    public SdpDataChannel GetDataChannel() => SdpDataChannel.From(this);

    /// <summary>The description as SDP text: CRLF line ends, libwebrtc's line order.</summary>
    public override string ToString() => SdpWriter.Write(this);
}
