namespace PxpActors.TestSupport.Datagrams;

/// <summary>
/// A deterministic in-memory network between two <see cref="PxpActors.WebRtc.Datagrams.IDatagramConnection"/>
/// ends, <see cref="Left"/> and <see cref="Right"/>. Every sent datagram passes its direction's
/// <see cref="DatagramLink"/> (loss, filter, duplication, reordering) and is then held in flight until the
/// test calls <see cref="Tick"/>, <see cref="Deliver"/> or <see cref="DeliverAll"/>, so loss and
/// retransmission can be tested without sleeping. With <see cref="AutoDeliver"/> on, survivors go straight
/// to the receiving inbox.
/// </summary>
public sealed class DatagramBridge
{
    public const int DefaultMaxDatagramSize = 1280;
    public const int DefaultInboxCapacity = 1024;

    private volatile bool _autoDeliver;

    /// <param name="seed">Seeds the random loss and duplication of both links.</param>
    /// <param name="autoDeliver">Start in auto-deliver mode.</param>
    /// <param name="maxDatagramSize">Largest datagram either end accepts.</param>
    /// <param name="inboxCapacity">Datagrams an end buffers before dropping new arrivals.</param>
    public DatagramBridge(
        int seed = 0,
        bool autoDeliver = false,
        int maxDatagramSize = DefaultMaxDatagramSize,
        int inboxCapacity = DefaultInboxCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDatagramSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inboxCapacity);
        _autoDeliver = autoDeliver;
        LeftToRight = new DatagramLink(seed);
        RightToLeft = new DatagramLink(unchecked(seed * 31 + 17));
        Left = new DatagramBridgeEnd(this, BridgeDirection.LeftToRight, maxDatagramSize, inboxCapacity);
        Right = new DatagramBridgeEnd(this, BridgeDirection.RightToLeft, maxDatagramSize, inboxCapacity);
    }

    public DatagramBridgeEnd Left { get; }
    public DatagramBridgeEnd Right { get; }
    public DatagramLink LeftToRight { get; }
    public DatagramLink RightToLeft { get; }

    /// <summary>When on, datagrams are delivered as soon as they are sent; turning it on flushes held ones.</summary>
    public bool AutoDeliver
    {
        get => _autoDeliver;
        set
        {
            _autoDeliver = value;
            if (value) DeliverAll();
        }
    }

    public DatagramLink Link(BridgeDirection direction) =>
        direction == BridgeDirection.LeftToRight ? LeftToRight : RightToLeft;

    /// <summary>Sets the loss rate of both directions.</summary>
    public void SetLossRate(double rate)
    {
        LeftToRight.LossRate = rate;
        RightToLeft.LossRate = rate;
    }

    /// <summary>Delivers the oldest held datagram of each direction; returns how many were delivered.</summary>
    public int Tick() => Deliver(BridgeDirection.LeftToRight, 1) + Deliver(BridgeDirection.RightToLeft, 1);

    /// <summary>Delivers up to <paramref name="count"/> held datagrams of one direction, oldest first.</summary>
    public int Deliver(BridgeDirection direction, int count = int.MaxValue)
    {
        var link = Link(direction);
        var receiver = direction == BridgeDirection.LeftToRight ? Right : Left;
        var delivered = 0;
        for (var taken = 0; taken < count && link.TryTake(out var datagram); taken++)
        {
            if (receiver.TryEnqueue(datagram))
            {
                link.CountDelivered();
                delivered++;
            }
            else
            {
                link.CountDropped();
            }
        }
        return delivered;
    }

    /// <summary>Delivers everything held in both directions.</summary>
    public int DeliverAll() => Deliver(BridgeDirection.LeftToRight) + Deliver(BridgeDirection.RightToLeft);

    internal void Send(BridgeDirection direction, byte[] datagram)
    {
        Link(direction).Accept(datagram);
        if (_autoDeliver) Deliver(direction);
    }
}
