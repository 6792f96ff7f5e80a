using System.Net;
using Microsoft.AspNetCore.Connections;
using PxpActors.Resources;

namespace PxpActors.Transports.WebSocket;

/// <summary>
/// The node's budget at a WebSocket listener's door, for connections still in their HTTP upgrade (and TLS) handshake,
/// before the exchange hears of them: the socket gate (max-connections), connections per address and handshakes pending.
/// A connection past a limit is cut as soon as it is accepted. Kestrel connection middleware; thread-safe.
/// </summary>
internal sealed class WebSocketAdmission(SocketGate gate, ResourceLimits limits)
{
    private readonly object _lock = new();
    private readonly Dictionary<IPAddress, int> _byAddress = new();
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private volatile bool _accepting = true;

    /// <summary>Connections accepted and not yet upgraded to a WebSocket.</summary>
    public int Pending
    {
        get
        {
            lock (_lock) return _pending.Count;
        }
    }

    /// <summary>From now on every new connection is cut: the listener is stopping.</summary>
    public void StopAccepting() => _accepting = false;

    /// <summary>The connection is a WebSocket now: the exchange's own budget takes over its handshake.</summary>
    public void Upgraded(string connectionId)
    {
        lock (_lock) _pending.Remove(connectionId);
    }

    public ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        var address = Normalize((connection.RemoteEndPoint as IPEndPoint)?.Address);
        if (!_accepting || !gate.TryEnter())
        {
            connection.Abort();
            return;
        }
        if (Admit(connection.ConnectionId, address) is { } limit)
        {
            gate.Leave();
            gate.RefusedAtDoor(limit);
            connection.Abort();
            return;
        }
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Release(connection.ConnectionId, address);
            gate.Leave();
        }
    };

    /// <summary>The limit a new connection would pass, or null (and it is counted).</summary>
    private string? Admit(string connectionId, IPAddress? address)
    {
        var counted = address is not null && IsHeldToAddressLimit(address);
        lock (_lock)
        {
            if (_pending.Count >= limits.MaxPendingHandshakes) return "pending-handshakes";
            if (counted && _byAddress.GetValueOrDefault(address!) >= limits.MaxConnectionsPerAddress) return "connections-per-address";
            _pending.Add(connectionId);
            if (counted) _byAddress[address!] = _byAddress.GetValueOrDefault(address!) + 1;
            return null;
        }
    }

    private void Release(string connectionId, IPAddress? address)
    {
        lock (_lock)
        {
            _pending.Remove(connectionId);
            if (address is not null && IsHeldToAddressLimit(address) && --_byAddress[address] == 0) _byAddress.Remove(address);
        }
    }

    private bool IsHeldToAddressLimit(IPAddress address) =>
        limits.MaxConnectionsPerAddress > 0 && !(limits.ExemptLoopback && IPAddress.IsLoopback(address));

    internal static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
