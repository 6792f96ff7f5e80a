using System.Net;
using PxpActors.WebRtc.DataChannels;
using PxpActors.WebRtc.Dtls;
using PxpActors.WebRtc.Sctp;
using PxpActors.WebRtc.Datagrams;

namespace PxpActors.WebRtc.PeerConnections;

/// <summary>Everything a <see cref="PeerConnection"/> is built from; the defaults suit a real network.</summary>
public sealed record PeerConnectionOptions
{
    /// <summary>The offerer: ICE controlling, opens channels with the DTLS role the answer gives it.</summary>
    public bool Initiator { get; init; }

    /// <summary>stun:host:port URLs for server-reflexive candidates.</summary>
    public IReadOnlyList<string> IceServers { get; init; } = [];

    /// <summary>Gather on loopback too (tests, same-machine peers).</summary>
    public bool IncludeLoopback { get; init; }

    /// <summary>Gather only on these addresses; null means every usable interface.</summary>
    public IReadOnlyList<IPAddress>? LocalAddresses { get; init; }

    /// <summary>
    /// Resolves a peer's host-name candidates (browsers' mDNS ".local" names); null means <see cref="Ice.Mdns.MdnsResolver"/>.
    /// </summary>
    public Func<string, CancellationToken, Task<IPAddress[]>>? ResolveHostName { get; init; }

    /// <summary>Where sockets come from; null means real UDP.</summary>
    public IDatagramNetwork? Network { get; init; }

    /// <summary>The clock of the ICE, DTLS and SCTP timers (the system's by default).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Longest ICE may take to find a path.</summary>
    public TimeSpan IceConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>DTLS timers, certificate scope and limits.</summary>
    public DtlsSettings Dtls { get; init; } = DtlsSettings.Default;

    /// <summary>Our certificate; null takes one from <see cref="CertificateSource"/>.</summary>
    public DtlsCertificate? Certificate { get; init; }

    /// <summary>
    /// Where <see cref="Certificate"/> comes from when it is null: share one source among a node's connections so
    /// each one's certificate is made ahead, in the background. Null makes a fresh ECDSA P-256 one on the spot.
    /// </summary>
    public DtlsCertificateSource? CertificateSource { get; init; }

    /// <summary>SCTP tunables. Ports and the peer's message size limit are taken from the descriptions.</summary>
    public SctpAssociationOptions Sctp { get; init; } = new();

    /// <summary>Limits of the data channel endpoint.</summary>
    public DataChannelEndpointOptions DataChannels { get; init; } = new();

    /// <summary>Channels the peer opened and nobody accepted yet; beyond this they are closed.</summary>
    public int MaxPendingAcceptedChannels { get; init; } = 64;

    /// <summary>How long <see cref="IWebRtcPeerConnection.CloseAsync"/> waits for the peer to acknowledge the SCTP shutdown.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(3);
}
