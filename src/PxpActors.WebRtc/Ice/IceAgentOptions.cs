using System.Net;
using PxpActors.WebRtc.Ice.Mdns;

namespace PxpActors.WebRtc.Ice;

/// <summary>Settings of an <see cref="IceAgent"/>; every timing has an RFC-based default.</summary>
public sealed record IceAgentOptions
{
    /// <summary>Initial role: the offerer is controlling (RFC 8445 §6.1.1). Conflicts are repaired at run time.</summary>
    public IceRole Role { get; init; } = IceRole.Controlling;

    /// <summary>Our ufrag/password; generated when null.</summary>
    public IceCredentials? Credentials { get; init; }

    /// <summary>The 64-bit role-conflict tie-breaker; random when null.</summary>
    public ulong? TieBreaker { get; init; }

    /// <summary>STUN servers for server-reflexive candidates, as "stun:host[:port]" (default port 3478).</summary>
    public IReadOnlyList<string> StunServers { get; init; } = [];

    /// <summary>Gather host candidates on loopback too (tests, same-machine peers).</summary>
    public bool IncludeLoopback { get; init; }

    /// <summary>Gather only on these addresses instead of every usable interface.</summary>
    public IReadOnlyList<IPAddress>? LocalAddresses { get; init; }

    /// <summary>The clock every timer of the agent runs on.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Ta: at most one new check per interval (RFC 8445 §14.2 recommends 50 ms).</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>First retransmission timeout of a check or STUN request (RFC 8489 §6.2.1: 500 ms).</summary>
    public TimeSpan InitialRto { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Retransmission timeouts double up to this.</summary>
    public TimeSpan MaxRto { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Transmissions of one check before its pair fails (RFC 8489 Rc = 7).</summary>
    public int MaxCheckTransmissions { get; init; } = 7;

    /// <summary>Transmissions of a binding request to a STUN server before giving up on it.</summary>
    public int MaxServerTransmissions { get; init; } = 4;

    /// <summary>
    /// How long the controlling agent waits, after its first valid pair, for better pairs before nominating
    /// the best valid one. It nominates at once when no better pair is still pending.
    /// </summary>
    public TimeSpan NominationDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Fail when no pair is selected this long after the agent started.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consent checks every interval, randomised to 0.8–1.2× (RFC 7675 §5.1: 5 s).</summary>
    public TimeSpan ConsentInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Report Disconnected when no consent response arrived for this long.</summary>
    public TimeSpan DisconnectedTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Consent expires, and the agent fails, after this long without a response (RFC 7675: 30 s).</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Remote candidates kept; more are ignored (trickle from a hostile peer stays bounded).</summary>
    public int MaxRemoteCandidates { get; init; } = 64;

    /// <summary>Candidate pairs kept; the lowest-priority waiting ones are pruned beyond this (RFC 8445 §6.1.2.5).</summary>
    public int MaxPairs { get; init; } = 100;

    /// <summary>Datagrams of the upper layer buffered before it reads them; more are dropped.</summary>
    public int ReceiveQueueCapacity { get; init; } = 256;

    /// <summary>How long to try resolving a peer's mDNS ".local" host candidate.</summary>
    public TimeSpan MdnsResolveTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Names of remote candidates resolved over the agent's life; later ones are ignored, so that a peer trickling
    /// names cannot keep us querying. Only ".local" names (mDNS, RFC 6762) are ever resolved for a remote candidate.
    /// </summary>
    public int MaxNameResolutions { get; init; } = 8;

    /// <summary>
    /// Resolves host names: mDNS for ".local" names, DNS for the rest by default. Remote candidates only ever bring
    /// ".local" names here; other names are our own configuration (STUN servers).
    /// </summary>
    public Func<string, CancellationToken, Task<IPAddress[]>> ResolveHostName { get; init; } = MdnsResolver.ResolveAsync;

    internal void Validate()
    {
        Positive(CheckInterval, nameof(CheckInterval));
        Positive(InitialRto, nameof(InitialRto));
        Positive(ConnectTimeout, nameof(ConnectTimeout));
        Positive(ConsentInterval, nameof(ConsentInterval));
        Positive(ConsentTimeout, nameof(ConsentTimeout));
        if (MaxRto < InitialRto) throw new ArgumentException($"{nameof(MaxRto)} must be at least {nameof(InitialRto)}.");
        if (MaxCheckTransmissions < 1 || MaxServerTransmissions < 1) throw new ArgumentException("At least one transmission is needed.");
        if (MaxRemoteCandidates < 1 || MaxPairs < 1 || ReceiveQueueCapacity < 1 || MaxNameResolutions < 0) throw new ArgumentException("Limits must be positive.");
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
    }
}
