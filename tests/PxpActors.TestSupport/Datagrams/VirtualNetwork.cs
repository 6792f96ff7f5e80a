using System.Net;

namespace PxpActors.TestSupport.Datagrams;

/// <summary>
/// A deterministic in-memory IP network for ICE tests: hosts with addresses, optional NATs in front of
/// them, and the same impairments as <see cref="DatagramBridge"/> (seeded loss, filter, holding datagrams
/// in flight to reorder, drop or release them). In <see cref="AutoDeliver"/> mode (the default) datagrams
/// reach the receiving socket as they are sent.
/// </summary>
public sealed class VirtualNetwork
{
    private readonly Random _random;
    private readonly List<VirtualDatagram> _held = [];
    private readonly Dictionary<IPEndPoint, VirtualSocket> _public = [];
    private readonly List<VirtualHost> _hosts = [];
    private readonly List<VirtualSocket> _open = [];
    private TaskCompletionSource _progress = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _autoDeliver = true;
    private double _lossRate;

    public VirtualNetwork(int seed = 0) => _random = new Random(seed);

    internal object Gate { get; } = new();

    /// <summary>Deliver at once (true, default) or hold datagrams until <see cref="DeliverAll"/>; turning it on flushes.</summary>
    public bool AutoDeliver
    {
        get { lock (Gate) return _autoDeliver; }
        set
        {
            lock (Gate) _autoDeliver = value;
            if (value) DeliverAll();
        }
    }

    /// <summary>Probability in [0, 1] that a sent datagram is lost (seeded, so the same ones every run).</summary>
    public double LossRate
    {
        get { lock (Gate) return _lossRate; }
        set
        {
            if (value is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(value));
            lock (Gate) _lossRate = value;
        }
    }

    /// <summary>When set, a datagram for which it returns false is dropped.</summary>
    public Func<VirtualDatagram, bool>? Filter { get; set; }

    public long SentCount { get; private set; }
    public long DroppedCount { get; private set; }
    public long DeliveredCount { get; private set; }

    public int HeldCount { get { lock (Gate) return _held.Count; } }
    public IReadOnlyList<VirtualDatagram> Held { get { lock (Gate) return _held.ToList(); } }

    /// <summary>Sockets bound anywhere on this network and not disposed.</summary>
    public int OpenSocketCount { get { lock (Gate) return _open.Count; } }

    /// <summary>A host reachable directly at <paramref name="addresses"/>.</summary>
    public VirtualHost AddHost(params string[] addresses)
    {
        lock (Gate)
        {
            var host = new VirtualHost(this, addresses.Select(IPAddress.Parse).ToList(), nat: null);
            _hosts.Add(host);
            return host;
        }
    }

    /// <summary>A host at a private address behind its own NAT with a public address.</summary>
    public VirtualHost AddHostBehindNat(string privateAddress, string publicAddress, NatFiltering filtering = NatFiltering.AddressAndPortDependent)
    {
        lock (Gate)
        {
            var host = new VirtualHost(this, [IPAddress.Parse(privateAddress)], new VirtualNat(IPAddress.Parse(publicAddress), filtering));
            _hosts.Add(host);
            return host;
        }
    }

    /// <summary>Delivers every held datagram in order; returns how many arrived.</summary>
    public int DeliverAll() => Deliver(int.MaxValue);

    /// <summary>Delivers up to <paramref name="count"/> held datagrams, oldest first.</summary>
    public int Deliver(int count)
    {
        lock (Gate)
        {
            var delivered = 0;
            var n = Math.Min(count, _held.Count);
            var batch = _held.GetRange(0, n);
            _held.RemoveRange(0, n);
            foreach (var datagram in batch)
            {
                if (Route(datagram)) delivered++;
            }
            return delivered;
        }
    }

    public void ReverseHeld()
    {
        lock (Gate) _held.Reverse();
    }

    public void ShuffleHeld()
    {
        lock (Gate)
        {
            for (var i = _held.Count - 1; i > 0; i--)
            {
                var j = _random.Next(i + 1);
                (_held[i], _held[j]) = (_held[j], _held[i]);
            }
        }
    }

    public void DropHeld()
    {
        lock (Gate)
        {
            DroppedCount += _held.Count;
            _held.Clear();
        }
    }

    /// <summary>True when no socket holds a datagram its reader has not finished with.</summary>
    public bool IsIdle
    {
        get { lock (Gate) return _open.All(s => s.Outstanding == 0); }
    }

    /// <summary>Waits until every delivered datagram has been processed by its reader.</summary>
    public async Task WaitForIdleAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            Task progress;
            lock (Gate)
            {
                if (_open.All(s => s.Outstanding == 0)) return;
                progress = _progress.Task;
            }
            try
            {
                await progress.WaitAsync(cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The virtual network did not become idle within {timeout}.");
            }
        }
    }

    internal void SignalProgress()
    {
        TaskCompletionSource done;
        lock (Gate)
        {
            done = _progress;
            _progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    internal void Register(VirtualSocket socket)
    {
        _open.Add(socket);
        if (socket.Host.Nat is null && !IPAddress.IsLoopback(socket.LocalEndPoint.Address)) _public[socket.LocalEndPoint] = socket;
    }

    internal void Unregister(VirtualSocket socket)
    {
        lock (Gate)
        {
            _open.Remove(socket);
            socket.Host.Remove(socket);
            if (_public.TryGetValue(socket.LocalEndPoint, out var registered) && registered == socket) _public.Remove(socket.LocalEndPoint);
        }
        SignalProgress();
    }

    internal void Send(VirtualSocket socket, IPEndPoint to, byte[] data)
    {
        lock (Gate)
        {
            SentCount++;
            var from = socket.LocalEndPoint;
            var host = socket.Host;
            if (host.Nat is { } nat && !host.Owns(to.Address)) from = nat.MapOutbound(from, to);
            var datagram = new VirtualDatagram(from, to, data) { Sender = host };
            if ((Filter is { } filter && !filter(datagram)) || (_lossRate > 0 && _random.NextDouble() < _lossRate))
            {
                DroppedCount++;
                return;
            }
            if (_autoDeliver) Route(datagram);
            else _held.Add(datagram);
        }
    }

    private bool Route(VirtualDatagram datagram)
    {
        var target = FindTarget(datagram);
        if (target is not null && target.TryEnqueue(datagram.Data, datagram.From))
        {
            DeliveredCount++;
            return true;
        }
        DroppedCount++;
        return false;
    }

    private VirtualSocket? FindTarget(VirtualDatagram datagram)
    {
        var to = datagram.To;
        var sender = datagram.Sender!;
        if (sender.Owns(to.Address)) return sender.Find(to);
        if (_public.TryGetValue(to, out var direct)) return direct;
        foreach (var host in _hosts)
        {
            if (host.Nat is { } nat && nat.PublicAddress.Equals(to.Address))
                return nat.MapInbound(to.Port, datagram.From) is { } inside ? host.Find(inside) : null;
        }
        return null;
    }
}
