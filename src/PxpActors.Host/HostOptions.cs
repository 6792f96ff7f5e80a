using Akka.Configuration;

namespace PxpActors.Host;

/// <summary>The host's command line (README, "The standalone node"), parsed and checked.</summary>
internal sealed record HostOptions(
    string Network,
    IReadOnlyList<Uri> Listen,
    IReadOnlyList<Uri> Connect,
    bool NoIncoming,
    bool Echo,
    string? Send,
    bool Json,
    Config Config)
{
    public const string Usage =
        "usage: pxp [--network ID] [--listen URL]... [--connect URL]... [--no-incoming] [--echo] [--send TEXT] [--json] [--config FILE]";

    /// <summary>Parses <paramref name="args"/>; throws <see cref="HostUsageException"/> with one clear line on bad input.</summary>
    public static HostOptions Parse(string[] args, Config hostDefaults)
    {
        string? network = null, send = null, configFile = null;
        var listen = new List<Uri>();
        var connect = new List<Uri>();
        bool noIncoming = false, echo = false, json = false;

        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new HostUsageException($"{arg} needs a value");
            switch (arg)
            {
                case "--network": network = Value(); break;
                case "--listen": listen.Add(ParseUrl(arg, Value())); break;
                case "--connect": connect.Add(ParseUrl(arg, Value())); break;
                case "--no-incoming": noIncoming = true; break;
                case "--echo": echo = true; break;
                case "--send": send = Value(); break;
                case "--json": json = true; break;
                case "--config": configFile = Value(); break;
                case "--peers":
                    Value();
                    throw new HostUsageException("--peers is not supported yet: it needs the WebRTC upgrade of getNewPeer");
                case "--ice-server":
                    Value();
                    throw new HostUsageException("--ice-server is not supported yet: it needs the WebRTC upgrade of getNewPeer");
                case "--help" or "-h": throw new HostUsageException(Usage);
                default: throw new HostUsageException($"unknown option {arg}");
            }
        }

        var config = hostDefaults;
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new HostUsageException($"--config: no such file {configFile}");
            try
            {
                config = ConfigurationFactory.ParseString(File.ReadAllText(configFile)).WithFallback(hostDefaults);
            }
            catch (Exception e)
            {
                throw new HostUsageException($"--config: {configFile} is not valid HOCON: {e.Message}");
            }
        }
        var host = config.GetConfig("pxp-host");
        network ??= host.GetString("network");
        if (string.IsNullOrEmpty(network)) throw new HostUsageException("--network must not be empty");
        if (listen.Count == 0) listen.AddRange(host.GetStringList("listen").Select(u => ParseUrl("listen", u)));
        connect.AddRange(host.GetStringList("connect").Select(u => ParseUrl("connect", u)));
        return new HostOptions(network, listen, connect, noIncoming, echo, send, json, config);
    }

    private static Uri ParseUrl(string option, string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Port < 0)
            throw new HostUsageException($"{option}: {text} is not a URL like tcp://HOST:PORT");
        return url.Scheme switch
        {
            "tcp" => url,
            "ws" => throw new HostUsageException($"{option}: ws:// is not supported yet (the WebSocket transport is a later issue)"),
            _ => throw new HostUsageException($"{option}: unsupported scheme {url.Scheme}:// (use tcp://HOST:PORT)"),
        };
    }
}

/// <summary>Bad command line: the message is printed on stderr as one line, and the host exits 2.</summary>
internal sealed class HostUsageException(string message) : Exception(message);
