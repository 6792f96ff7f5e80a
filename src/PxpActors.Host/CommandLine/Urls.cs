using System.Text.RegularExpressions;

namespace PxpActors.Host.CommandLine;

/// <summary>The address forms of the command line and host.conf, checked with a message that says what was expected.</summary>
internal static partial class Urls
{
    public const string PeerForms = "tcp://HOST:PORT, ws://HOST:PORT/PATH or wss://HOST:PORT/PATH";

    /// <summary>A peer address (tcp, ws, wss with an explicit port), or the reason it is not one.</summary>
    public static Uri Peer(string text, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Host.Length == 0 || !HasPort(text))
            error = $"{text} is not a URL like {PeerForms}";
        else if (url.Scheme is not ("tcp" or "ws" or "wss"))
            error = $"unsupported scheme {url.Scheme}:// (use {PeerForms})";
        else if (url.Scheme == "tcp" && url.AbsolutePath != "/")
            error = $"{text}: a tcp:// address has no path";
        return url!;
    }

    /// <summary>Where --metrics serves: http://HOST:PORT/PATH.</summary>
    public static Uri Metrics(string text, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != "http" || url.Host.Length == 0 || !HasPort(text))
            error = $"{text} is not a URL like http://HOST:PORT/metrics";
        else if (url.AbsolutePath == "/")
            error = $"{text} has no path (for example http://{url.Authority}/metrics)";
        return url!;
    }

    /// <summary>Where --serve-demo serves: http://HOST:PORT/ with HOST an IP address or localhost.</summary>
    public static Uri Demo(string text, out string? error)
    {
        error = null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme != "http" || url.Host.Length == 0 || !HasPort(text))
            error = $"{text} is not a URL like http://127.0.0.1:7080/";
        else if (url.AbsolutePath != "/")
            error = $"{text}: the page is served at the root, so the URL has no path";
        else if (url.Host != "localhost" && !System.Net.IPAddress.TryParse(url.Host.Trim('[', ']'), out _))
            error = $"{text}: the host must be an IP address or localhost";
        return url!;
    }

    /// <summary>A STUN server, stun:HOST:PORT.</summary>
    public static string? IceServerError(string text)
    {
        var match = IceServer().Match(text);
        if (!match.Success) return $"{text} is not a STUN server like stun:HOST:PORT";
        var port = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        return port is < 1 or > 65535 ? $"{text}: port {port} is not between 1 and 65535" : null;
    }

    // Uri gives -1 or the scheme's default when the text has no port; the contract wants it written.
    private static bool HasPort(string text) => PortWritten().IsMatch(text);

    [GeneratedRegex(@"^[a-z]+://(\[[^\]]+\]|[^/:\[\]]+):[0-9]{1,5}(/|$)")]
    private static partial Regex PortWritten();

    [GeneratedRegex(@"^stun:(\[[0-9A-Fa-f:.]+\]|[^:\[\]/\s]+):(?<port>[0-9]{1,5})$")]
    private static partial Regex IceServer();
}
