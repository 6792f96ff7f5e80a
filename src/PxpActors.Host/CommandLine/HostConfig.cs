using System.Globalization;
using System.Text;
using System.Text.Json;
using Akka.Configuration;
using PxpActors.Actors;

namespace PxpActors.Host.CommandLine;

/// <summary>
/// What the node runs with: the command line over --config over the host's embedded defaults (hocon/host.conf), read
/// and checked before anything starts, so a bad file or value is one clear line rather than a failure later.
/// </summary>
/// <param name="Network">The network id.</param>
/// <param name="Listen">Addresses to accept peers on.</param>
/// <param name="Connect">Bootstrap peers.</param>
/// <param name="Node">The node's HOCON: the pxp.* keys of --config, and those the command line sets.</param>
internal sealed record HostConfig(string Network, IReadOnlyList<Uri> Listen, IReadOnlyList<Uri> Connect, Config Node)
{
    /// <summary>hocon/host.conf, embedded in the program.</summary>
    public static Config Defaults()
    {
        using var stream = typeof(HostConfig).Assembly.GetManifestResourceStream("PxpActors.Host.host.conf")
            ?? throw new InvalidOperationException("host.conf is not embedded in the program");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    public static HostConfig Create(HostOptions options) => Create(options, Defaults());

    public static HostConfig Create(HostOptions options, Config defaults)
    {
        var config = defaults;
        var source = "host.conf";
        if (options.ConfigFile is { } file)
        {
            source = $"--config {file}";
            config = Read(file).WithFallback(defaults);
        }

        var host = Section(config, "pxp-host", source);
        var network = options.Network ?? Value(source, "pxp-host.network", () => host.GetString("network"));
        if (string.IsNullOrEmpty(network)) throw new HostUsageException(options.Network is null
            ? $"{source}: pxp-host.network must not be empty"
            : "--network must not be empty");
        var listenInConfig = Urls(source, host, "listen"); // checked even when --listen replaces it
        var listen = options.Listen.Count > 0 ? options.Listen : listenInConfig;
        var connect = options.Connect.Concat(Urls(source, host, "connect")).ToList();

        var node = ConfigurationFactory.ParseString(CommandLineHocon(options, network)).WithFallback(config);
        if (ConfigValues.FirstBadValue(config) is { } bad) throw new HostUsageException($"{source}: {bad}");
        try
        {
            _ = ExchangeSettings.Create(node); // every pxp.* value the node will read, read once now
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new HostUsageException($"{source}: a pxp.* value is not valid: {OneLine(e.Message)}", e);
        }
        return new HostConfig(network, listen, connect, node);
    }

    /// <summary>The keys the command line sets for the node (its own, over --config's).</summary>
    private static string CommandLineHocon(HostOptions options, string network)
    {
        var hocon = new StringBuilder();
        hocon.Append("pxp.network-id = ").Append(JsonSerializer.Serialize(network)).Append('\n');
        if (options.NoIncoming) hocon.Append("pxp.allow-incoming = off\n");
        if (options.Peers is { } peers) hocon.Append("pxp.target-peers = ").Append(peers.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (options.IceServers.Count > 0)
            hocon.Append("pxp.webrtc.ice-servers = [").Append(string.Join(", ", options.IceServers.Select(s => JsonSerializer.Serialize(s)))).Append("]\n");
        return hocon.ToString();
    }

    private static Config Read(string file)
    {
        if (!File.Exists(file)) throw new HostUsageException($"--config: no such file {file}");
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HostUsageException($"--config: cannot read {file}: {e.Message}", e);
        }
        try
        {
            return ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new HostUsageException($"--config: {file} is not valid HOCON: {OneLine(e.Message)}", e);
        }
    }

    private static Config Section(Config config, string path, string source) =>
        Value(source, path, () => config.GetConfig(path)) ?? throw new HostUsageException($"{source}: {path} is missing");

    private static IReadOnlyList<Uri> Urls(string source, Config host, string key)
    {
        var texts = Value(source, $"pxp-host.{key}", () => host.GetStringList(key));
        var urls = new List<Uri>();
        foreach (var text in texts)
        {
            var url = CommandLine.Urls.Peer(text, out var error);
            if (error is not null)
                throw new HostUsageException($"{source}: pxp-host.{key}: {error} (quote URLs in HOCON: // starts a comment)");
            urls.Add(url);
        }
        return urls;
    }

    /// <summary>A value read from the config; a value of the wrong type is one line naming the key.</summary>
    private static T Value<T>(string source, string key, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new HostUsageException($"{source}: {key} is not valid: {OneLine(e.Message)}", e);
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
