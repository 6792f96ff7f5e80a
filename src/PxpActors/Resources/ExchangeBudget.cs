using System.Collections.Immutable;
using System.Net;
using Akka.Actor;

namespace PxpActors.Resources;

/// <summary>
/// The exchange's part of the node's budget: its sessions (connections, handshakes, relayed ones, per remote address)
/// and the relays it serves as a hub. State of the ExchangeActor alone. A refusal names the limit, and is counted.
/// </summary>
/// <param name="connectionCap">The connection limit in force, the one the node's socket gate counts against.</param>
/// <param name="limits">The node's limits (pxp.limits).</param>
internal sealed class ExchangeBudget(ResourceLimits limits, int connectionCap)
{
    private readonly int _connectionCap = connectionCap;
    private readonly Dictionary<IActorRef, Session> _sessions = new();
    private readonly Dictionary<IPAddress, int> _byAddress = new();
    private readonly Dictionary<IActorRef, int> _relaysByAsker = new();
    private readonly Dictionary<string, long> _refusals = new(StringComparer.Ordinal);

    public int Connections { get; private set; }

    public int PendingHandshakes { get; private set; }

    public int RelayedSessions { get; private set; }

    public int Relays { get; private set; }

    public int ConnectionCap => _connectionCap;

    public IReadOnlyDictionary<string, long> Refusals => _refusals.ToImmutableDictionary();

    /// <summary>Why a new session may not start, or null when it may.</summary>
    public string? RefuseSession(bool relayed, bool incoming, IPAddress? address)
    {
        if (PendingHandshakes >= limits.MaxPendingHandshakes)
            return Refused("pending-handshakes", $"{limits.MaxPendingHandshakes} sessions are already handshaking");
        if (relayed)
        {
            return RelayedSessions >= limits.MaxRelayedSessions
                ? Refused("relayed-sessions", $"this node carries its limit of {limits.MaxRelayedSessions} relayed sessions")
                : null;
        }
        if (Connections >= _connectionCap)
            return Refused("connections", $"this node has its limit of {_connectionCap} connections");
        if (incoming && address is not null && IsHeldToAddressLimit(address)
            && _byAddress.GetValueOrDefault(address) >= limits.MaxConnectionsPerAddress)
            return Refused("connections-per-address", $"{limits.MaxConnectionsPerAddress} connections from {address} are open already");
        return null;
    }

    public void Admit(IActorRef session, bool relayed, bool incoming, IPAddress? address)
    {
        var counted = incoming && address is not null && IsHeldToAddressLimit(address) ? address : null;
        _sessions[session] = new Session(relayed, counted, Ready: false);
        PendingHandshakes++;
        if (relayed) RelayedSessions++;
        else Connections++;
        if (counted is not null) _byAddress[counted] = _byAddress.GetValueOrDefault(counted) + 1;
    }

    public void Ready(IActorRef session)
    {
        if (!_sessions.TryGetValue(session, out var s) || s.Ready) return;
        _sessions[session] = s with { Ready = true };
        PendingHandshakes--;
    }

    public void Remove(IActorRef session)
    {
        if (!_sessions.Remove(session, out var s)) return;
        if (!s.Ready) PendingHandshakes--;
        if (s.Relayed) RelayedSessions--;
        else Connections--;
        if (s.Address is { } address && --_byAddress[address] == 0) _byAddress.Remove(address);
        if (_relaysByAsker.Remove(session, out var relays)) Relays -= relays;
    }

    /// <summary>Why <paramref name="asker"/> may not have one more relay through this node, or null (and the relay is counted).</summary>
    public string? TakeRelay(IActorRef asker)
    {
        if (Relays >= limits.MaxRelays)
            return Refused("relays", $"this node relays its limit of {limits.MaxRelays} relays");
        Relays++;
        Diagnostics.PxpMetrics.RelaysOpen.Add(1);
        _relaysByAsker[asker] = _relaysByAsker.GetValueOrDefault(asker) + 1;
        return null;
    }

    public void ReleaseRelay(IActorRef asker)
    {
        if (!_relaysByAsker.TryGetValue(asker, out var relays)) return;
        Relays--;
        Diagnostics.PxpMetrics.RelaysOpen.Add(-1);
        if (relays == 1) _relaysByAsker.Remove(asker);
        else _relaysByAsker[asker] = relays - 1;
    }

    /// <summary>Counts a refusal made elsewhere (a session refusing its peer's request), under <paramref name="limit"/>.</summary>
    public void CountRefusal(string limit)
    {
        _refusals[limit] = _refusals.GetValueOrDefault(limit) + 1;
        NodeResources.Refused(limit);
    }

    /// <summary>The exchange's refusals with those of the stage and of the socket gate, by limit.</summary>
    public Dictionary<string, long> AllRefusals(NodeResources resources)
    {
        var refusals = new Dictionary<string, long>(_refusals);
        var stage = resources.StageRefusals;
        if (stage.Substreams > 0) refusals["substreams"] = stage.Substreams;
        if (stage.SessionBuffer > 0) refusals["session-buffer"] = stage.SessionBuffer;
        if (stage.NodeBuffer > 0) refusals["node-buffer"] = stage.NodeBuffer;
        // The same limits, met at the socket before the exchange hears of it: refused by the transport.
        foreach (var (limit, count) in resources.Sockets.Refusals) refusals[limit] = refusals.GetValueOrDefault(limit) + count;
        return refusals;
    }

    private bool IsHeldToAddressLimit(IPAddress address) =>
        limits.MaxConnectionsPerAddress > 0 && !(limits.ExemptLoopback && IPAddress.IsLoopback(address));

    private string Refused(string limit, string reason)
    {
        CountRefusal(limit);
        return $"Refused: {reason} (pxp.limits)";
    }

    private sealed record Session(bool Relayed, IPAddress? Address, bool Ready);
}
