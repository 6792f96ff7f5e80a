namespace PxpActors.TestSupport.Datagrams;

/// <summary>
/// One direction of a simulated datagram path: the impairments applied to every datagram sent into it
/// (loss, duplication, filtering, dropping or reversing the next N) and the queue of datagrams held
/// "in flight" until the owner delivers them. Randomness comes from a seeded <see cref="Random"/> so a
/// test sees the same losses on every run. Thread-safe.
/// </summary>
public sealed class DatagramLink
{
    private readonly object _gate = new();
    private readonly Random _random;
    private readonly List<byte[]> _held = [];
    private readonly List<byte[]> _reorderStack = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> _heldWaiters = [];
    private double _lossRate;
    private double _duplicateRate;
    private int _dropNext;
    private int _reorderNext;
    private long _sent;
    private long _dropped;
    private long _delivered;

    public DatagramLink(int seed) => _random = new Random(seed);

    /// <summary>Probability in [0, 1] that a sent datagram is lost.</summary>
    public double LossRate
    {
        get { lock (_gate) return _lossRate; }
        set { lock (_gate) _lossRate = CheckRate(value); }
    }

    /// <summary>Probability in [0, 1] that a sent datagram (not lost) is held twice.</summary>
    public double DuplicateRate
    {
        get { lock (_gate) return _duplicateRate; }
        set { lock (_gate) _duplicateRate = CheckRate(value); }
    }

    /// <summary>When set, a datagram for which it returns false is dropped before any other impairment.</summary>
    public Predicate<ReadOnlyMemory<byte>>? Filter { get; set; }

    /// <summary>Datagrams sent into this link (before impairments).</summary>
    public long SentCount { get { lock (_gate) return _sent; } }

    /// <summary>Datagrams lost: by loss rate, filter, <see cref="DropNext"/>, <see cref="DropHeld"/> or a full inbox.</summary>
    public long DroppedCount { get { lock (_gate) return _dropped; } }

    /// <summary>Datagrams handed to the receiving end.</summary>
    public long DeliveredCount { get { lock (_gate) return _delivered; } }

    /// <summary>Number of datagrams currently held in flight.</summary>
    public int HeldCount { get { lock (_gate) return _held.Count; } }

    /// <summary>A copy of the datagrams held in flight, oldest first.</summary>
    public IReadOnlyList<byte[]> Held { get { lock (_gate) return _held.Select(d => d.ToArray()).ToList(); } }

    /// <summary>Drops the next <paramref name="count"/> datagrams sent.</summary>
    public void DropNext(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate) _dropNext = count;
    }

    /// <summary>Collects the next <paramref name="count"/> datagrams sent and holds them in reverse order.</summary>
    public void ReorderNext(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate) _reorderNext = count;
    }

    /// <summary>Reverses the order of the datagrams held in flight.</summary>
    public void ReverseHeld()
    {
        lock (_gate) _held.Reverse();
    }

    /// <summary>Shuffles the datagrams held in flight with the link's seeded random.</summary>
    public void ShuffleHeld()
    {
        lock (_gate)
        {
            for (var i = _held.Count - 1; i > 0; i--)
            {
                var j = _random.Next(i + 1);
                (_held[i], _held[j]) = (_held[j], _held[i]);
            }
        }
    }

    /// <summary>Drops up to <paramref name="count"/> held datagrams starting at <paramref name="offset"/>.</summary>
    public void DropHeld(int offset, int count)
    {
        lock (_gate)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            if (offset >= _held.Count) return;
            var n = Math.Min(count, _held.Count - offset);
            _held.RemoveRange(offset, n);
            _dropped += n;
        }
    }

    /// <summary>Duplicates the held datagram at <paramref name="index"/>, the copy right behind it.</summary>
    public void DuplicateHeld(int index)
    {
        lock (_gate) _held.Insert(index + 1, _held[index].ToArray());
    }

    /// <summary>Completes once at least <paramref name="count"/> datagrams are held in flight.</summary>
    public Task WaitForHeldAsync(int count, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_held.Count >= count) return Task.CompletedTask;
            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _heldWaiters.Add((count, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Applies the impairments to one sent datagram; survivors join the held queue.</summary>
    internal void Accept(byte[] datagram)
    {
        lock (_gate)
        {
            _sent++;
            var filter = Filter;
            if (filter is not null && !filter(datagram))
            {
                _dropped++;
                return;
            }
            if (_dropNext > 0)
            {
                _dropNext--;
                _dropped++;
                return;
            }
            if (_lossRate > 0 && _random.NextDouble() < _lossRate)
            {
                _dropped++;
                return;
            }
            var copies = _duplicateRate > 0 && _random.NextDouble() < _duplicateRate ? 2 : 1;
            for (var i = 0; i < copies; i++)
            {
                var copy = i == 0 ? datagram : datagram.ToArray();
                if (_reorderNext > 0)
                {
                    _reorderStack.Add(copy);
                    if (--_reorderNext == 0)
                    {
                        _reorderStack.Reverse();
                        _held.AddRange(_reorderStack);
                        _reorderStack.Clear();
                    }
                }
                else
                {
                    _held.Add(copy);
                }
            }
            ReleaseWaiters();
        }
    }

    internal bool TryTake(out byte[] datagram)
    {
        lock (_gate)
        {
            if (_held.Count == 0)
            {
                datagram = [];
                return false;
            }
            datagram = _held[0];
            _held.RemoveAt(0);
            return true;
        }
    }

    internal void CountDelivered()
    {
        lock (_gate) _delivered++;
    }

    internal void CountDropped()
    {
        lock (_gate) _dropped++;
    }

    private void ReleaseWaiters()
    {
        for (var i = _heldWaiters.Count - 1; i >= 0; i--)
        {
            if (_held.Count < _heldWaiters[i].Count) continue;
            _heldWaiters[i].Signal.TrySetResult();
            _heldWaiters.RemoveAt(i);
        }
    }

    private static double CheckRate(double rate) =>
        rate is >= 0 and <= 1 ? rate : throw new ArgumentOutOfRangeException(nameof(rate), rate, "A rate lies in [0, 1].");
}
