using PxpActors.Protocol;
using PxpActors.Protocol.Framing;
using PxpActors.Resources;

namespace PxpActors.Multiplexing;

/// <summary>
/// Which substreams a session has, without Akka: names we registered, channels the peer opened (claimed by a name or
/// waiting to be), our channel numbers (reused only once both sides are done with one), the cap on channels open at
/// once and this session's share of the node's substream count. The <see cref="MultiplexerStage"/> asks it what a frame
/// or an open means; it moves no bytes.
/// </summary>
/// <typeparam name="TSubstream">The stage's record of a registered name.</typeparam>
internal sealed class ChannelTable<TSubstream>(int maxSubstreams, NodeResources node) where TSubstream : NamedSubstream
{
    private readonly Dictionary<string, TSubstream> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, RemoteChannel> _remote = new();
    private readonly Dictionary<string, RemoteChannel> _unclaimed = new(StringComparer.Ordinal);
    private readonly List<TSubstream?> _localSlots = [];
    private int _localOpen;
    // Substreams of this session counted in the node's budget: registered names, and peer opens held until claimed.
    private int _counted;

    /// <summary>Every registered name.</summary>
    public IEnumerable<TSubstream> Registered => _byName.Values;

    /// <summary>
    /// Channels open at once, ours and the peer's. A held (unclaimed) open counts while the peer keeps it open; once
    /// ended it still holds its buffered data until claimed, and counts still.
    /// </summary>
    public int OpenChannels => _localOpen + _remote.Count + _unclaimed.Values.Count(r => r.Ended);

    /// <summary>Registered names and held opens: what this session counts in the node's budget.</summary>
    public int Substreams => _byName.Count + _unclaimed.Count;

    /// <summary>The peer's channels that are not ended yet.</summary>
    public IReadOnlyCollection<RemoteChannel> OpenRemotes => _remote.Values;

    /// <summary>True while <paramref name="substream"/> is the one registered under its name.</summary>
    public bool IsCurrent(TSubstream substream) => _byName.GetValueOrDefault(substream.Name) == substream;

    public bool TryGet(string name, out TSubstream substream) => _byName.TryGetValue(name, out substream!);

    /// <summary>Why we may not open <paramref name="name"/> now, or null if we may.</summary>
    public string? WhyNotOpen(string name)
    {
        if (_byName.ContainsKey(name)) return $"Substream \"{name}\" is already open";
        if (OpenChannels >= maxSubstreams) return $"Cannot open substream \"{name}\": {maxSubstreams} substreams are open";
        if (!node.HasRoomForSubstream())
            return $"Cannot open substream \"{name}\": this node has its limit of {node.Limits.MaxSubstreams} substreams open";
        return null;
    }

    /// <summary>The lowest of our channel numbers that is free.</summary>
    public LocalChannel NextLocalChannel()
    {
        var free = _localSlots.IndexOf(null);
        if (free >= 0) return new LocalChannel((uint)free);
        _localSlots.Add(null);
        return new LocalChannel((uint)(_localSlots.Count - 1));
    }

    /// <summary>
    /// Registers <paramref name="substream"/> (its name allowed by <see cref="WhyNotOpen"/>, its channel from
    /// <see cref="NextLocalChannel"/>); returns the peer's channel of that name that was waiting for it, if any.
    /// </summary>
    public RemoteChannel? Register(TSubstream substream)
    {
        _localSlots[(int)substream.Local.Number] = substream;
        _localOpen++;
        _byName.Add(substream.Name, substream);
        _unclaimed.Remove(substream.Name, out var held);
        Count();
        return held;
    }

    /// <summary>
    /// The peer opened channel <paramref name="number"/> named <paramref name="name"/>: a peer that opens a number twice, a
    /// name twice or past a limit breaks the protocol. The channel is claimed if the name is registered (see
    /// <see cref="RemoteChannel.Owner"/>, and the owner's <see cref="NamedSubstream.Remote"/> is set), else held.
    /// </summary>
    public RemoteChannel PeerOpened(uint number, string name)
    {
        if (_remote.ContainsKey(number))
            throw new PxpProtocolException($"Peer opened channel {number} again while it was still open");
        if (OpenChannels >= maxSubstreams)
            throw new PxpProtocolException($"Peer opened more than {maxSubstreams} substreams");
        if (!node.HasRoomForSubstream())
            throw new PxpProtocolException(
                $"Peer opened a substream past this node's limit of {node.Limits.MaxSubstreams} substreams open across all sessions");

        var remote = new RemoteChannel(number, name);
        if (_byName.TryGetValue(name, out var owner))
        {
            if (owner.Remote is not null) throw new PxpProtocolException($"Peer opened a second channel named \"{name}\"");
            owner.Remote = remote;
            remote.Owner = owner;
        }
        else if (!_unclaimed.TryAdd(name, remote))
        {
            throw new PxpProtocolException($"Peer opened a second channel named \"{name}\"");
        }
        _remote.Add(number, remote);
        Count();
        return remote;
    }

    /// <summary>The peer's open channel <paramref name="number"/>; a frame on any other breaks the protocol.</summary>
    public RemoteChannel PeerChannel(uint number, FrameType frame) =>
        _remote.TryGetValue(number, out var remote)
            ? remote
            : throw new PxpProtocolException($"Peer sent a {frame} frame on channel {number}, which it never opened");

    /// <summary>The peer ended its channel: false if it had already.</summary>
    public bool PeerEnded(RemoteChannel remote)
    {
        if (remote.Ended) return false;
        remote.Ended = true;
        _remote.Remove(remote.Number);
        return true;
    }

    /// <summary>
    /// The peer reset channel <paramref name="number"/>: it is gone at once, held or not. Null if it has no such channel
    /// (the reference tears a relay down with end and then reset: the end already finished it).
    /// </summary>
    public RemoteChannel? PeerReset(uint number)
    {
        if (!_remote.Remove(number, out var remote)) return null;
        if (_unclaimed.GetValueOrDefault(remote.Name) == remote) _unclaimed.Remove(remote.Name);
        remote.Ended = true;
        Count();
        return remote;
    }

    /// <summary>Our channel <paramref name="number"/>'s substream, if it is in use.</summary>
    public TSubstream? OurChannel(uint number) => number < _localSlots.Count ? _localSlots[(int)number] : null;

    /// <summary>
    /// A held channel nobody claimed in time is dropped from the table (true), and marked <see cref="RemoteChannel.Reaped"/>;
    /// false if it was claimed, reset or reaped meanwhile. What the peer still sends on it is the caller's to drop.
    /// </summary>
    public bool Reap(RemoteChannel remote)
    {
        if (_unclaimed.GetValueOrDefault(remote.Name) != remote) return false;
        _unclaimed.Remove(remote.Name);
        remote.Reaped = true;
        Count();
        return true;
    }

    /// <summary>Frees our channel's number once we ended it and the peer finished it too, or never heard of it.</summary>
    public void ReleaseIfDone(TSubstream substream)
    {
        var peerDone = substream.Local.PeerFinished || !substream.Local.Announced;
        if (substream.Local.EndQueued && peerDone && _localSlots[(int)substream.Local.Number] == substream)
        {
            _localSlots[(int)substream.Local.Number] = null;
            _localOpen--;
        }
    }

    /// <summary>Unregisters a name that is over both ways (true); its number may still wait for the peer.</summary>
    public bool ForgetIfFinished(TSubstream substream)
    {
        if (!(substream.WriterDone && substream.Local.EndQueued && substream.ReaderDone && IsCurrent(substream))) return false;
        _byName.Remove(substream.Name);
        Count();
        return true;
    }

    /// <summary>The session is over: its substreams leave the node's count.</summary>
    public void Close()
    {
        node.AddSubstreams(-_counted);
        _counted = 0;
    }

    private void Count()
    {
        var now = Substreams;
        node.AddSubstreams(now - _counted);
        _counted = now;
    }
}
