using System.Collections.Concurrent;

namespace PxpActors.Resources;

/// <summary>
/// Counts the sockets a node holds open, at the moment they open and close, against
/// <see cref="ResourceLimits.ConnectionCap"/>. The exchange refuses sessions past the cap as well, but only once it
/// hears of them: a flood accepted faster than that would take the process past its open-file limit meanwhile, and a
/// process out of descriptors aborts (the runtime itself can no longer open what it needs).
/// </summary>
public sealed class SocketGate(int cap)
{
    private readonly ConcurrentDictionary<string, long> _refusedAtDoor = new(StringComparer.Ordinal);
    private int _open;
    private long _refused;

    /// <summary>Most sockets the node holds open.</summary>
    public int Cap { get; } = cap;

    /// <summary>Sockets open now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Sockets closed at once because the node held its cap.</summary>
    public long Refused => Volatile.Read(ref _refused);

    /// <summary>Takes a slot for a socket just opened; false (and counted) when the node holds its cap.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _open) <= Cap) return true;
        Interlocked.Decrement(ref _open);
        Interlocked.Increment(ref _refused);
        NodeResources.Refused("connections");
        return false;
    }

    /// <summary>Gives back the slot of a socket that closed.</summary>
    public void Leave() => Interlocked.Decrement(ref _open);

    /// <summary>
    /// A listener cut a connection at its door for another limit of the node's (per address, pending handshakes)
    /// before the exchange heard of it: counted under that limit.
    /// </summary>
    public void RefusedAtDoor(string limit)
    {
        _refusedAtDoor.AddOrUpdate(limit, 1, (_, count) => count + 1);
        NodeResources.Refused(limit);
    }

    /// <summary>Every connection refused here, by limit: "connections" (the cap) and those refused at a listener's door.</summary>
    public IReadOnlyDictionary<string, long> Refusals
    {
        get
        {
            var refusals = new Dictionary<string, long>(_refusedAtDoor, StringComparer.Ordinal);
            if (Refused > 0) refusals["connections"] = Refused;
            return refusals;
        }
    }
}
