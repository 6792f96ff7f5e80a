using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PxpActors.WebRtc.Ice;

/// <summary>
/// One ICE candidate, as carried in an SDP <c>a=candidate</c> line or a trickled candidate (RFC 8839 §5.1):
/// <code>
/// candidate:&lt;foundation&gt; &lt;component&gt; &lt;transport&gt; &lt;priority&gt; &lt;address&gt; &lt;port&gt; typ &lt;type&gt;
///           [raddr &lt;address&gt;] [rport &lt;port&gt;] *(&lt;extension name&gt; &lt;extension value&gt;)
/// </code>
/// The address may be an mDNS name ending in ".local" (what browsers publish for host candidates).
/// Extensions (generation, ufrag, network-id, network-cost, tcptype…) are kept in order and written back.
/// </summary>
public sealed record IceCandidate
{
    /// <summary>Longest candidate line accepted.</summary>
    public const int MaxLineLength = 1024;
    /// <summary>Most extensions accepted on one line.</summary>
    public const int MaxExtensions = 16;
    private const string Prefix = "candidate:";

    /// <summary>A candidate with the standard fields of RFC 8839 section 5.1; each is checked.</summary>
    public IceCandidate(string foundation, int component, string transport, uint priority, string address, int port,
        IceCandidateType type, string? relatedAddress = null, int? relatedPort = null)
    {
        Foundation = Check(foundation, IsFoundation, "foundation");
        Component = component is >= 1 and <= 256 ? component : throw new ArgumentOutOfRangeException(nameof(component));
        Transport = Check(transport, IsToken, "transport");
        Priority = priority;
        Address = Check(address, IsAddress, "address");
        Port = port is >= 0 and <= 65535 ? port : throw new ArgumentOutOfRangeException(nameof(port));
        Type = type;
        RelatedAddress = relatedAddress is null ? null : Check(relatedAddress, IsAddress, "related address");
        RelatedPort = relatedPort is null or (>= 0 and <= 65535) ? relatedPort : throw new ArgumentOutOfRangeException(nameof(relatedPort));
    }

    /// <summary>The foundation: candidates of the same base and type share it.</summary>
    public string Foundation { get; }
    /// <summary>The component id (1 for data channels).</summary>
    public int Component { get; }
    /// <summary>The transport, "udp" here.</summary>
    public string Transport { get; }
    /// <summary>The candidate's priority (RFC 8445 section 5.1.2).</summary>
    public uint Priority { get; }

    /// <summary>An IPv4/IPv6 literal, or a host name (in practice an mDNS ".local" name).</summary>
    public string Address { get; }

    /// <summary>The port.</summary>
    public int Port { get; }
    /// <summary>host, srflx, prflx or relay.</summary>
    public IceCandidateType Type { get; }
    /// <summary>For a reflexive or relayed candidate: the address it derives from.</summary>
    public string? RelatedAddress { get; }
    /// <summary>For a reflexive or relayed candidate: the port it derives from.</summary>
    public int? RelatedPort { get; }

    /// <summary>Name/value extensions after the standard fields, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extensions { get; init; } = [];

    /// <summary>True for a UDP candidate (the only kind this agent uses).</summary>
    public bool IsUdp => Transport.Equals("udp", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for browser-style mDNS host names, which need resolving before use.</summary>
    public bool IsMdnsName => Address.EndsWith(".local", StringComparison.OrdinalIgnoreCase);

    /// <summary>The transport address when <see cref="Address"/> is an IP literal; null for names.</summary>
    public IPEndPoint? EndPoint => IPAddress.TryParse(Address, out var ip) ? new IPEndPoint(ip, Port) : null;

    /// <summary>The value of an extension such as "ufrag" or "generation", or null.</summary>
    public string? Extension(string name) =>
        Extensions.FirstOrDefault(e => e.Key.Equals(name, StringComparison.Ordinal)).Value;

    /// <summary>Creates a candidate for a transport address.</summary>
    public static IceCandidate For(IPEndPoint endPoint, IceCandidateType type, uint priority, string foundation,
        IPEndPoint? related = null, int component = 1) =>
        new(foundation, component, "udp", priority, FormatAddress(endPoint.Address), endPoint.Port, type,
            related is null ? null : FormatAddress(related.Address), related?.Port);

    /// <summary>
    /// Parses a candidate line with or without "a=" and "candidate:" prefixes. Throws
    /// <see cref="IceFormatException"/> for anything not RFC 8839 (bounded: line length, field values,
    /// number of extensions).
    /// </summary>
    public static IceCandidate Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length > MaxLineLength) throw new IceFormatException($"A candidate line of {line.Length} characters is too long.");
        var text = line.Trim();
        if (text.StartsWith("a=", StringComparison.Ordinal)) text = text[2..];
        if (text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) text = text[Prefix.Length..];
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 8) throw new IceFormatException($"A candidate has at least 8 fields: \"{line}\".");
        if (fields[6] != "typ") throw new IceFormatException($"A candidate's seventh field is \"typ\": \"{line}\".");

        var foundation = Require(fields[0], IsFoundation, "foundation", line);
        var component = ParseNumber(fields[1], 1, 256, "component id", line);
        var transport = Require(fields[2], IsToken, "transport", line);
        var priority = (uint)ParseNumber(fields[3], 1, uint.MaxValue, "priority", line);
        var address = Require(fields[4], IsAddress, "address", line);
        var port = (int)ParseNumber(fields[5], 0, 65535, "port", line);
        var type = fields[7] switch
        {
            "host" => IceCandidateType.Host,
            "srflx" => IceCandidateType.ServerReflexive,
            "prflx" => IceCandidateType.PeerReflexive,
            "relay" => IceCandidateType.Relay,
            var other => throw new IceFormatException($"Unknown candidate type \"{other}\" in \"{line}\"."),
        };

        string? relatedAddress = null;
        int? relatedPort = null;
        var extensions = new List<KeyValuePair<string, string>>();
        for (var i = 8; i < fields.Length; i += 2)
        {
            if (i + 1 >= fields.Length) throw new IceFormatException($"Candidate extension \"{fields[i]}\" has no value: \"{line}\".");
            var (name, value) = (fields[i], fields[i + 1]);
            switch (name)
            {
                case "raddr" when relatedAddress is null && extensions.Count == 0:
                    relatedAddress = Require(value, IsAddress, "related address", line);
                    break;
                case "rport" when relatedPort is null && extensions.Count == 0:
                    relatedPort = (int)ParseNumber(value, 0, 65535, "related port", line);
                    break;
                default:
                    if (extensions.Count == MaxExtensions) throw new IceFormatException($"A candidate with more than {MaxExtensions} extensions is refused.");
                    extensions.Add(new(Require(name, IsToken, "extension name", line), Require(value, IsToken, "extension value", line)));
                    break;
            }
        }
        return new IceCandidate(foundation, (int)component, transport, priority, address, port, type, relatedAddress, relatedPort)
        {
            Extensions = extensions,
        };
    }

    /// <summary>Reads a candidate line (with or without "a=" and "candidate:"); false when it is not a valid one.</summary>
    public static bool TryParse(string line, out IceCandidate? candidate)
    {
        try
        {
            candidate = Parse(line);
            return true;
        }
        catch (IceFormatException)
        {
            candidate = null;
            return false;
        }
    }

    /// <summary>The SDP attribute value, "candidate:…" (without "a=").</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Prefix)
            .Append(Foundation).Append(' ')
            .Append(Component.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(Transport).Append(' ')
            .Append(Priority.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(Address).Append(' ')
            .Append(Port.ToString(CultureInfo.InvariantCulture))
            .Append(" typ ").Append(TypeName(Type));
        if (RelatedAddress is not null) sb.Append(" raddr ").Append(RelatedAddress);
        if (RelatedPort is not null) sb.Append(" rport ").Append(RelatedPort.Value.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in Extensions) sb.Append(' ').Append(name).Append(' ').Append(value);
        return sb.ToString();
    }

    /// <summary>The type's name in a candidate line (host, srflx, prflx, relay).</summary>
    public static string TypeName(IceCandidateType type) => type switch
    {
        IceCandidateType.Host => "host",
        IceCandidateType.ServerReflexive => "srflx",
        IceCandidateType.PeerReflexive => "prflx",
        _ => "relay",
    };

    /// <summary>Address text as SDP carries it: no IPv6 scope id, IPv4-mapped IPv6 as plain IPv4.</summary>
    public static string FormatAddress(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
            address = new IPAddress(address.GetAddressBytes());
        return address.ToString();
    }

    private static string Require(string value, Func<string, bool> valid, string what, string line) =>
        valid(value) ? value : throw new IceFormatException($"Invalid candidate {what} \"{value}\" in \"{line}\".");

    private static string Check(string value, Func<string, bool> valid, string what) =>
        valid(value) ? value : throw new ArgumentException($"Invalid candidate {what} \"{value}\".", what);

    private static long ParseNumber(string text, long min, long max, string what, string line)
    {
        if (text.Length is 0 or > 10 || !text.All(char.IsAsciiDigit)
            || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new IceFormatException($"Invalid candidate {what} \"{text}\" in \"{line}\".");
        return value;
    }

    // ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 §5.1), foundation 1..32 of them.
    private static bool IsFoundation(string value) =>
        value.Length is >= 1 and <= 32 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/');

    private static bool IsToken(string value) =>
        value.Length is >= 1 and <= 256 && value.All(c => c > ' ' && c < 127);

    // An IP literal or a DNS name (letters, digits, '-', '.', and ':' for IPv6).
    private static bool IsAddress(string value) =>
        value.Length is >= 1 and <= 255 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '_');
}
