using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Ice;

namespace PxpActors.WebRtc.Sdp;

/// <summary>
/// Line parser for <see cref="SessionDescription"/>. Strict where WebRTC depends on a value (ICE
/// credentials, fingerprints, setup, mid, SCTP port, candidates): a bad one throws
/// <see cref="SdpException"/> with its line number. Tolerant elsewhere: unknown attributes and line
/// types are kept, LF line ends are accepted as well as CRLF. Bounded in size and section count.
/// </summary>
internal static class SdpParser
{
    public const int MaxLength = 128 * 1024;
    public const int MaxMediaSections = 64;
    public const int MaxLinesPerSection = 1024;

    public static SessionDescription Parse(string text)
    {
        if (text.Length > MaxLength)
            throw new SdpException($"The description is {text.Length} characters; the limit is {MaxLength}.");
        var lines = text.Split('\n');
        var count = lines.Length;
        if (count > 0 && lines[^1].Length == 0) count--; // the terminating line end
        if (count == 0 || lines[0].TrimEnd('\r') != "v=0")
            throw new SdpException("A session description starts with 'v=0'.");

        var session = new SectionBuilder(isSession: true);
        var media = new List<SectionBuilder>();
        var current = session;
        SdpOrigin? origin = null;
        string? sessionName = null, timing = null;

        for (var i = 1; i < count; i++)
        {
            var number = i + 1;
            var line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
                throw new SdpException($"Line {number} is not 'x=value': '{Truncate(line)}'.");
            if (line.Contains('\r'))
                throw new SdpException($"Line {number} contains a stray carriage return.");
            if (++current.LineCount > MaxLinesPerSection)
                throw new SdpException($"A section has more than {MaxLinesPerSection} lines.");
            var value = line[2..];
            switch (line[0])
            {
                case 'v':
                    throw new SdpException($"Line {number}: 'v=' may only be the first line.");
                case 'o' when current.IsSession:
                    if (origin is not null) throw new SdpException($"Line {number}: a second 'o=' line.");
                    origin = ParseOrigin(value, number);
                    break;
                case 's' when current.IsSession:
                    if (sessionName is not null) throw new SdpException($"Line {number}: a second 's=' line.");
                    sessionName = value;
                    break;
                case 't' when current.IsSession && timing is null:
                    timing = value;
                    break;
                case 'c':
                    if (current.Connection is not null) throw new SdpException($"Line {number}: a second 'c=' line in one section.");
                    current.Connection = ParseConnection(value, number);
                    break;
                case 'm':
                    if (media.Count == MaxMediaSections)
                        throw new SdpException($"The description has more than {MaxMediaSections} media sections.");
                    current = new SectionBuilder(isSession: false) { Media = ParseMediaLine(value, number) };
                    media.Add(current);
                    break;
                case 'a':
                    current.AddAttribute(value, number);
                    break;
                default:
                    current.OtherLines.Add(new SdpLine(line[0], value));
                    break;
            }
        }

        if (origin is null) throw new SdpException("The description has no 'o=' line.");
        if (sessionName is null) throw new SdpException("The description has no 's=' line.");
        if (timing is null) throw new SdpException("The description has no 't=' line.");

        return new SessionDescription
        {
            Origin = origin,
            SessionName = sessionName,
            Timing = timing,
            Connection = session.Connection,
            OtherLines = session.OtherLines,
            Groups = session.Groups,
            IceLite = session.IceLite,
            IceUfrag = session.IceUfrag,
            IcePwd = session.IcePwd,
            IceOptions = session.IceOptions,
            Fingerprints = session.Fingerprints,
            Setup = session.Setup,
            Attributes = session.Attributes,
            Media = media.Select(m => m.BuildMedia()).ToList(),
        };
    }

    private static SdpOrigin ParseOrigin(string value, int number)
    {
        var fields = value.Split(' ');
        if (fields.Length != 6 || fields.Any(f => f.Length == 0))
            throw new SdpException($"Line {number}: 'o=' has six space-separated fields, not '{Truncate(value)}'.");
        if (!ulong.TryParse(fields[2], out var version))
            throw new SdpException($"Line {number}: the session version '{fields[2]}' is not a number.");
        if (!fields[1].All(char.IsAsciiDigit))
            throw new SdpException($"Line {number}: the session id '{fields[1]}' is not a number.");
        return new SdpOrigin(fields[0], fields[1], version, fields[3], fields[4], fields[5]);
    }

    private static SdpConnection ParseConnection(string value, int number)
    {
        var fields = value.Split(' ');
        if (fields.Length != 3 || fields.Any(f => f.Length == 0))
            throw new SdpException($"Line {number}: 'c=' is 'nettype addrtype address', not '{Truncate(value)}'.");
        return new SdpConnection(fields[0], fields[1], fields[2]);
    }

    private static MediaLine ParseMediaLine(string value, int number)
    {
        var fields = value.Split(' ');
        if (fields.Length < 4 || fields.Any(f => f.Length == 0))
            throw new SdpException($"Line {number}: 'm=' is 'media port proto fmt…', not '{Truncate(value)}'.");
        var portText = fields[1];
        int? portCount = null;
        var slash = portText.IndexOf('/');
        if (slash >= 0)
        {
            if (!int.TryParse(portText[(slash + 1)..], out var parsedCount) || parsedCount < 1)
                throw new SdpException($"Line {number}: bad port count in '{portText}'.");
            portCount = parsedCount;
            portText = portText[..slash];
        }
        if (!portText.All(char.IsAsciiDigit) || !int.TryParse(portText, out var port) || port > 65535)
            throw new SdpException($"Line {number}: the port '{fields[1]}' is not 0-65535.");
        return new MediaLine(fields[0], port, portCount, fields[2], fields[3..]);
    }

    internal static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private sealed record MediaLine(string Media, int Port, int? PortCount, string Protocol, string[] Formats);

    /// <summary>Collects one section's lines; the session and each m= section have one.</summary>
    private sealed class SectionBuilder(bool isSession)
    {
        public bool IsSession { get; } = isSession;
        public int LineCount;
        public MediaLine? Media;
        public SdpConnection? Connection;
        public readonly List<SdpLine> OtherLines = [];
        public readonly List<SdpGroup> Groups = [];
        public readonly List<IceCandidate> Candidates = [];
        public readonly List<DtlsFingerprint> Fingerprints = [];
        public readonly List<SdpAttribute> Attributes = [];
        public IReadOnlyList<string> IceOptions = [];
        public bool IceLite, EndOfCandidates;
        public string? IceUfrag, IcePwd, Mid;
        public DtlsSetup? Setup;
        public int? SctpPort;
        public long? MaxMessageSize;
        private readonly HashSet<string> _seen = [];

        public void AddAttribute(string text, int number)
        {
            var colon = text.IndexOf(':');
            var name = colon < 0 ? text : text[..colon];
            var value = colon < 0 ? null : text[(colon + 1)..];
            if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 0x7f))
                throw new SdpException($"Line {number}: attribute name '{Truncate(name)}' is not a token.");

            switch (name)
            {
                case "group" when IsSession:
                    var words = Require(name, value, number).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (words.Length == 0) throw new SdpException($"Line {number}: a=group has no semantics.");
                    Groups.Add(new SdpGroup(words[0], words[1..]));
                    break;
                case "ice-lite" when IsSession:
                    IceLite = true;
                    break;
                case "ice-ufrag":
                    IceUfrag = Once(name, IceCredential(name, value, number, 4), number);
                    break;
                case "ice-pwd":
                    IcePwd = Once(name, IceCredential(name, value, number, 22), number);
                    break;
                case "ice-options":
                    Once(name, value, number);
                    IceOptions = Require(name, value, number).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    break;
                case "fingerprint":
                    if (!DtlsFingerprint.TryParse(Require(name, value, number), out var fingerprint, out var error))
                        throw new SdpException($"Line {number}: {error}");
                    Fingerprints.Add(fingerprint);
                    break;
                case "setup":
                    Setup = Once(name, Require(name, value, number), number) switch
                    {
                        "actpass" => DtlsSetup.ActPass,
                        "active" => DtlsSetup.Active,
                        "passive" => DtlsSetup.Passive,
                        var other => throw new SdpException($"Line {number}: a=setup:{Truncate(other)} is not actpass, active or passive."),
                    };
                    break;
                case "mid" when !IsSession:
                    Mid = Once(name, Require(name, value, number), number);
                    if (Mid.Length > 32 || Mid.Any(c => c <= ' ' || c >= 0x7f))
                        throw new SdpException($"Line {number}: a=mid '{Truncate(Mid)}' is not a short token.");
                    break;
                case "sctp-port" when !IsSession:
                    var portText = Once(name, Require(name, value, number), number);
                    if (!portText.All(char.IsAsciiDigit) || !int.TryParse(portText, out var port) || port is < 1 or > 65535)
                        throw new SdpException($"Line {number}: a=sctp-port '{Truncate(portText)}' is not 1-65535.");
                    SctpPort = port;
                    break;
                case "max-message-size" when !IsSession:
                    var sizeText = Once(name, Require(name, value, number), number);
                    if (!sizeText.All(char.IsAsciiDigit) || !long.TryParse(sizeText, out var size))
                        throw new SdpException($"Line {number}: a=max-message-size '{Truncate(sizeText)}' is not a non-negative integer.");
                    MaxMessageSize = size;
                    break;
                case "candidate" when !IsSession:
                    try
                    {
                        Candidates.Add(IceCandidate.Parse(text));
                    }
                    catch (IceFormatException bad)
                    {
                        throw new SdpException($"Line {number}: {bad.Message}", bad);
                    }
                    break;
                case "end-of-candidates" when !IsSession:
                    EndOfCandidates = true;
                    break;
                default:
                    Attributes.Add(new SdpAttribute(name, value));
                    break;
            }
        }

        public MediaDescription BuildMedia() => new()
        {
            Media = Media!.Media,
            Port = Media.Port,
            PortCount = Media.PortCount,
            Protocol = Media.Protocol,
            Formats = Media.Formats,
            Connection = Connection,
            OtherLines = OtherLines,
            Candidates = Candidates,
            EndOfCandidates = EndOfCandidates,
            IceUfrag = IceUfrag,
            IcePwd = IcePwd,
            IceOptions = IceOptions,
            Fingerprints = Fingerprints,
            Setup = Setup,
            Mid = Mid,
            SctpPort = SctpPort,
            MaxMessageSize = MaxMessageSize,
            Attributes = Attributes,
        };

        private string Once(string name, string? value, int number)
        {
            if (!_seen.Add(name))
                throw new SdpException($"Line {number}: a second a={name} in one section.");
            return value ?? "";
        }

        private static string Require(string name, string? value, int number) =>
            string.IsNullOrEmpty(value) ? throw new SdpException($"Line {number}: a={name} needs a value.") : value;

        /// <summary>RFC 8839 section 5.4: 4 (ufrag) or 22 (pwd) to 256 ice-chars (ALPHA / DIGIT / "+" / "/").</summary>
        private static string IceCredential(string name, string? value, int number, int minLength)
        {
            var text = Require(name, value, number);
            if (text.Length < minLength || text.Length > 256)
                throw new SdpException($"Line {number}: a={name} has {text.Length} characters; RFC 8839 allows {minLength} to 256.");
            if (!text.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/'))
                throw new SdpException($"Line {number}: a={name} '{Truncate(text)}' has characters outside ALPHA / DIGIT / '+' / '/'.");
            return text;
        }
    }
}
