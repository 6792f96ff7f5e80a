using System.Globalization;

namespace PxpActors.WebRtc.Ice;

/// <summary>A "stun:host[:port]" URL (RFC 7064); TURN is not supported.</summary>
public sealed record IceServerUrl(string Host, int Port)
{
    /// <summary>The STUN port when the URL names none.</summary>
    public const int DefaultPort = 3478;

    /// <summary>Reads "stun:host[:port]"; throws <see cref="ArgumentException"/> for anything else.</summary>
    public static IceServerUrl Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.StartsWith("stun:", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Only stun: servers are supported, not \"{url}\".", nameof(url));
        var rest = url[5..];
        var query = rest.IndexOf('?');
        if (query >= 0) rest = rest[..query];
        string host;
        var port = DefaultPort;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0) throw new ArgumentException($"Unclosed IPv6 literal in \"{url}\".", nameof(url));
            host = rest[1..close];
            if (close + 1 < rest.Length) port = ParsePort(rest[(close + 1)..], url);
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            host = colon < 0 ? rest : rest[..colon];
            if (colon >= 0) port = ParsePort(rest[colon..], url);
        }
        if (host.Length == 0) throw new ArgumentException($"No host in \"{url}\".", nameof(url));
        return new IceServerUrl(host, port);
    }

    private static int ParsePort(string text, string url) =>
        text.StartsWith(':') && int.TryParse(text[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new ArgumentException($"Invalid port in \"{url}\".", nameof(url));
}
