using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PxpActors.Host.CommandLine;

/// <summary>
/// The host's command line (README, "The standalone node"), on System.CommandLine: generated help, and every value
/// checked as it is parsed, so a mistake is one line naming the option.
/// </summary>
internal sealed class HostCommandLine
{
    private readonly Option<string?> _network = new("--network")
    {
        Description = "network id (default: pxp-demo, or pxp-host.network of --config)",
        HelpName = "ID",
    };

    private readonly Option<List<Uri>> _listen = new("--listen")
    {
        Description = $"accept peers on URL; repeatable; {Urls.PeerForms}; port 0 = any free port " +
                      "(default: tcp://127.0.0.1:7000, or pxp-host.listen of --config)",
        HelpName = "URL",
        CustomParser = result => PeerUrls(result, "--listen"),
    };

    private readonly Option<List<Uri>> _connect = new("--connect")
    {
        Description = "bootstrap peer to connect to; repeatable; same URL forms",
        HelpName = "URL",
        CustomParser = result => PeerUrls(result, "--connect"),
    };

    private readonly Option<int?> _peers = new("--peers")
    {
        Description = "keep at least N peers by calling getNewPeer while below N (default 0 = off)",
        HelpName = "N",
        CustomParser = result => WholeNumber(result, "--peers"),
    };

    private readonly Option<bool> _noIncoming = new("--no-incoming")
    {
        Description = "do not accept incoming relays / upgrades (hello carries connectInfo null)",
    };

    private readonly Option<List<string>> _iceServers = new("--ice-server")
    {
        Description = "STUN server stun:HOST:PORT for WebRTC; repeatable; none by default (host candidates only)",
        HelpName = "URL",
        CustomParser = IceServers,
    };

    private readonly Option<string?> _config = new("--config")
    {
        Description = "HOCON file overriding the host's defaults (pxp-host.*) and any pxp.* key of reference.conf",
        HelpName = "FILE",
    };

    private readonly Option<bool> _echo = new("--echo")
    {
        Description = "echo every byte received on application connections back to the sender",
    };

    private readonly Option<string?> _send = new("--send")
    {
        Description = "write TEXT (UTF-8) once on every new application connection",
        HelpName = "TEXT",
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description = "machine-readable events on stdout, one JSON object a line " +
                      "(listening, peer, connect, data, disconnect, error, closed); logs go to stderr",
    };

    private readonly Option<Uri?> _metrics = new("--metrics")
    {
        Description = "serve metrics in Prometheus text format at URL, e.g. http://127.0.0.1:9464/metrics",
        HelpName = "URL",
        CustomParser = MetricsUrl,
    };

    private readonly Option<int?> _status = new("--status")
    {
        Description = "seconds between human-readable status lines (default 10; 0 = never)",
        HelpName = "SECONDS",
        CustomParser = result => WholeNumber(result, "--status"),
    };

    private readonly Option<string?> _serveDemo = new("--serve-demo")
    {
        Description = "serve the browser demo page from DIR (the repo's demo/ folder after `npm ci && npm run build` in it) " +
                      "over HTTP at --demo-url; its pages join this node over its first ws:// or wss:// listener",
        HelpName = "DIR",
        CustomParser = DemoFolder,
    };

    private readonly Option<Uri?> _demoUrl = new("--demo-url")
    {
        Description = "where --serve-demo serves the page: http://HOST:PORT/ (default http://127.0.0.1:7080/; port 0 = any free port)",
        HelpName = "URL",
        CustomParser = DemoUrl,
    };

    public HostCommandLine()
    {
        Root = new RootCommand("pxp: a standalone PXP node (peer-exchange@2.2.0 compatible), on network pxp-demo listening on " +
                               "tcp://127.0.0.1:7000 unless told otherwise. SIGINT/SIGTERM close every connection and exit 0.");
        foreach (var option in new Option[] { _network, _listen, _connect, _peers, _noIncoming, _iceServers, _config, _echo, _send, _json, _metrics, _status, _serveDemo, _demoUrl })
            Root.Options.Add(option);
        // A version is not part of the contract: only --help is.
        foreach (var option in Root.Options.Where(o => o is VersionOption).ToList()) Root.Options.Remove(option);
    }

    public RootCommand Root { get; }

    /// <summary>The options, or null when <paramref name="args"/> asked for help (printed on stdout); a mistake throws <see cref="HostUsageException"/>.</summary>
    public HostOptions? Parse(string[] args, TextWriter output)
    {
        var parsed = Root.Parse(args);
        if (parsed.Action is HelpAction)
        {
            parsed.Invoke(new InvocationConfiguration { Output = output });
            return null;
        }
        if (parsed.Errors.Count > 0) throw new HostUsageException(parsed.Errors[0].Message);
        var serveDemo = parsed.GetValue(_serveDemo);
        var demoUrl = parsed.GetValue(_demoUrl);
        if (demoUrl is not null && serveDemo is null) throw new HostUsageException("--demo-url: only with --serve-demo DIR");
        return new HostOptions(
            Network: parsed.GetValue(_network),
            Listen: parsed.GetValue(_listen) ?? [],
            Connect: parsed.GetValue(_connect) ?? [],
            Peers: parsed.GetValue(_peers),
            NoIncoming: parsed.GetValue(_noIncoming),
            IceServers: parsed.GetValue(_iceServers) ?? [],
            ConfigFile: parsed.GetValue(_config),
            Echo: parsed.GetValue(_echo),
            Send: parsed.GetValue(_send),
            Json: parsed.GetValue(_json),
            Metrics: parsed.GetValue(_metrics),
            Status: TimeSpan.FromSeconds(parsed.GetValue(_status) ?? 10),
            ServeDemo: serveDemo,
            DemoUrl: serveDemo is null ? null : demoUrl ?? new Uri("http://127.0.0.1:7080/"));
    }

    private static List<Uri> PeerUrls(ArgumentResult result, string option)
    {
        var urls = new List<Uri>();
        foreach (var token in result.Tokens)
        {
            var url = Urls.Peer(token.Value, out var error);
            if (error is not null)
            {
                result.AddError($"{option}: {error}");
                return [];
            }
            urls.Add(url);
        }
        return urls;
    }

    private static int? WholeNumber(ArgumentResult result, string option)
    {
        var text = result.Tokens.Single().Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;
        result.AddError($"{option}: {text} is not a whole number 0 or more");
        return null;
    }

    private static List<string> IceServers(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (Urls.IceServerError(token.Value) is { } error)
            {
                result.AddError($"--ice-server: {error}");
                return [];
            }
        }
        return result.Tokens.Select(t => t.Value).ToList();
    }

    private static string? DemoFolder(ArgumentResult result)
    {
        var folder = result.Tokens.Single().Value;
        if (Demo.DemoSite.FolderError(folder) is not { } error) return folder;
        result.AddError(error);
        return null;
    }

    private static Uri? DemoUrl(ArgumentResult result)
    {
        var url = Urls.Demo(result.Tokens.Single().Value, out var error);
        if (error is null) return url;
        result.AddError($"--demo-url: {error}");
        return null;
    }

    private static Uri? MetricsUrl(ArgumentResult result)
    {
        var url = Urls.Metrics(result.Tokens.Single().Value, out var error);
        if (error is null) return url;
        result.AddError($"--metrics: {error}");
        return null;
    }
}
