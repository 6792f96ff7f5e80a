using System.Text;
using PxpActors.WebRtc.Dtls;

namespace PxpActors.WebRtc.Sdp;

/// <summary>
/// Writes descriptions in the line order libwebrtc uses (JSEP section 5.2.1), CRLF-terminated: session
/// lines, groups, session attributes, then per section m=, c=, a=rtcp, candidates, ICE, DTLS, mid,
/// the other unmodelled attributes, and SCTP last.
/// </summary>
internal static class SdpWriter
{
    private const string BeforeTiming = "iuepb";

    /// <summary>The one unmodelled attribute libwebrtc writes before the candidates of an RTP section.</summary>
    private const string RtcpAttribute = "rtcp";

    public static string Write(SessionDescription description)
    {
        var text = new StringBuilder(1024);
        Line(text, 'v', "0");
        Line(text, 'o', description.Origin.ToString());
        Line(text, 's', description.SessionName);
        foreach (var other in description.OtherLines.Where(l => BeforeTiming.Contains(l.Type)))
            Line(text, other.Type, other.Value);
        if (description.Connection is { } connection) Line(text, 'c', connection.ToString());
        Line(text, 't', description.Timing);
        foreach (var other in description.OtherLines.Where(l => !BeforeTiming.Contains(l.Type)))
            Line(text, other.Type, other.Value);
        foreach (var group in description.Groups) Attribute(text, "group", group.ToString());
        if (description.IceLite) Attribute(text, "ice-lite");
        Transport(text, description.IceUfrag, description.IcePwd, description.IceOptions, description.Fingerprints, description.Setup);
        foreach (var attribute in description.Attributes) Attribute(text, attribute.Name, attribute.Value);
        foreach (var media in description.Media) WriteMedia(text, media);
        return text.ToString();
    }

    public static string WriteMedia(MediaDescription media)
    {
        var text = new StringBuilder(512);
        WriteMedia(text, media);
        return text.ToString();
    }

    private static void WriteMedia(StringBuilder text, MediaDescription media)
    {
        var port = media.PortCount is { } count ? $"{media.Port}/{count}" : media.Port.ToString();
        Line(text, 'm', $"{media.Media} {port} {media.Protocol} {string.Join(' ', media.Formats)}");
        foreach (var other in media.OtherLines.Where(l => l.Type == 'i')) Line(text, other.Type, other.Value);
        if (media.Connection is { } connection) Line(text, 'c', connection.ToString());
        foreach (var other in media.OtherLines.Where(l => l.Type != 'i')) Line(text, other.Type, other.Value);
        foreach (var attribute in media.Attributes.Where(a => a.Name == RtcpAttribute)) Attribute(text, attribute.Name, attribute.Value);
        foreach (var candidate in media.Candidates) text.Append("a=").Append(candidate).Append("\r\n");
        if (media.EndOfCandidates) Attribute(text, "end-of-candidates");
        Transport(text, media.IceUfrag, media.IcePwd, media.IceOptions, media.Fingerprints, media.Setup);
        if (media.Mid is { } mid) Attribute(text, "mid", mid);
        foreach (var attribute in media.Attributes.Where(a => a.Name != RtcpAttribute)) Attribute(text, attribute.Name, attribute.Value);
        if (media.SctpPort is { } sctpPort) Attribute(text, "sctp-port", sctpPort.ToString());
        if (media.MaxMessageSize is { } maxMessageSize) Attribute(text, "max-message-size", maxMessageSize.ToString());
    }

    private static void Transport(StringBuilder text, string? ufrag, string? pwd, IReadOnlyList<string> iceOptions,
        IReadOnlyList<DtlsFingerprint> fingerprints, DtlsSetup? setup)
    {
        if (ufrag is not null) Attribute(text, "ice-ufrag", ufrag);
        if (pwd is not null) Attribute(text, "ice-pwd", pwd);
        if (iceOptions.Count > 0) Attribute(text, "ice-options", string.Join(' ', iceOptions));
        foreach (var fingerprint in fingerprints) Attribute(text, "fingerprint", fingerprint.ToString());
        if (setup is { } value) Attribute(text, "setup", SetupText(value));
    }

    public static string SetupText(DtlsSetup setup) => setup switch
    {
        DtlsSetup.ActPass => "actpass",
        DtlsSetup.Active => "active",
        DtlsSetup.Passive => "passive",
        _ => throw new ArgumentOutOfRangeException(nameof(setup), setup, null),
    };

    private static void Attribute(StringBuilder text, string name, string? value = null)
    {
        text.Append("a=").Append(name);
        if (value is not null) text.Append(':').Append(value);
        text.Append("\r\n");
    }

    private static void Line(StringBuilder text, char type, string value) =>
        text.Append(type).Append('=').Append(value).Append("\r\n");
}
