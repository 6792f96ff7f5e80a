using System.Globalization;
using System.Text;
using System.Text.Json;
using Akka.Configuration;

namespace PxpActors.Hosting;

/// <summary>
/// What <see cref="PeerExchangeHostingExtensions.WithPeerExchange(Akka.Hosting.AkkaConfigurationBuilder, PeerExchangeHostingOptions)"/>
/// sets. Every property left null keeps the value of the application's HOCON, or else the default of hocon/reference.conf
/// (named on each property): only what was set is written.
/// </summary>
public sealed class PeerExchangeHostingOptions
{
    /// <summary><c>pxp.network-id</c> (default "pxp-demo").</summary>
    public string? NetworkId { get; set; }

    /// <summary><c>pxp.allow-incoming</c>: accept relayed incoming sessions and upgrades (default true).</summary>
    public bool? AllowIncoming { get; set; }

    /// <summary><c>pxp.relay-rate</c>: bytes per second in each direction of a relay through this node (default 50,000; 0 = unlimited).</summary>
    public int? RelayBytesPerSecond { get; set; }

    /// <summary><c>pxp.request-timeout</c> (default 15 s).</summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary><c>pxp.handshake-timeout</c> (default 10 s).</summary>
    public TimeSpan? HandshakeTimeout { get; set; }

    /// <summary><c>pxp.write-timeout</c> (default 30 s).</summary>
    public TimeSpan? WriteTimeout { get; set; }

    /// <summary><c>pxp.multiplexer.max-frame-payload</c> in bytes (default 1 MiB).</summary>
    public int? MaxFramePayload { get; set; }

    /// <summary><c>pxp.listen</c>: addresses accepting peers from the host's start (tcp://HOST:PORT; port 0 = any free port).</summary>
    public IList<Uri>? Listen { get; set; }

    /// <summary><c>pxp.bootstrap-peers</c>: peers connected to when the host starts (tcp://HOST:PORT).</summary>
    public IList<Uri>? BootstrapPeers { get; set; }

    /// <summary><c>pxp.discovery.service-name</c>: an Akka.Discovery service whose endpoints are bootstrap peers too.</summary>
    public string? DiscoveryServiceName { get; set; }

    /// <summary><c>pxp.discovery.method</c>: the Akka.Discovery method to look the service up with (default: <c>akka.discovery.method</c>).</summary>
    public string? DiscoveryMethod { get; set; }

    /// <summary><c>pxp.discovery.resolve-timeout</c> (default 5 s).</summary>
    public TimeSpan? DiscoveryResolveTimeout { get; set; }

    /// <summary>Replaces the default candidates (our peers that accept incoming) in getpeers replies. Code, not HOCON: it
    /// reaches the exchange through the ActorSystem's setup (<see cref="PeerExchangeSetup"/>).</summary>
    public Actors.CandidateSource? CandidateSource { get; set; }

    /// <summary>The HOCON of what was set, under <c>pxp</c>; empty when nothing was.</summary>
    public Config ToConfig() => ConfigurationFactory.ParseString(ToHocon());

    /// <summary>The HOCON text of what was set.</summary>
    public string ToHocon()
    {
        var hocon = new StringBuilder();
        Add(hocon, "network-id", NetworkId is null ? null : Quote(NetworkId));
        Add(hocon, "allow-incoming", AllowIncoming is null ? null : AllowIncoming.Value ? "on" : "off");
        Add(hocon, "relay-rate", RelayBytesPerSecond?.ToString(CultureInfo.InvariantCulture));
        Add(hocon, "request-timeout", Duration(RequestTimeout));
        Add(hocon, "handshake-timeout", Duration(HandshakeTimeout));
        Add(hocon, "write-timeout", Duration(WriteTimeout));
        Add(hocon, "multiplexer.max-frame-payload", MaxFramePayload?.ToString(CultureInfo.InvariantCulture));
        Add(hocon, "listen", List(Listen));
        Add(hocon, "bootstrap-peers", List(BootstrapPeers));
        Add(hocon, "discovery.service-name", DiscoveryServiceName is null ? null : Quote(DiscoveryServiceName));
        Add(hocon, "discovery.method", DiscoveryMethod is null ? null : Quote(DiscoveryMethod));
        Add(hocon, "discovery.resolve-timeout", Duration(DiscoveryResolveTimeout));
        return hocon.ToString();
    }

    private static void Add(StringBuilder hocon, string key, string? value)
    {
        if (value is not null) hocon.Append("pxp.").Append(key).Append(" = ").Append(value).Append('\n');
    }

    // JSON string syntax is HOCON's quoted string syntax.
    private static string Quote(string value) => JsonSerializer.Serialize(value);

    private static string? Duration(TimeSpan? value) =>
        value is null ? null : ((long)value.Value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    private static string? List(IList<Uri>? uris) =>
        uris is null ? null : "[" + string.Join(", ", uris.Select(u => Quote(u.OriginalString))) + "]";
}
