using Akka.IO;
using PxpActors.Carriers;
using PxpActors.Protocol;
using PxpActors.Protocol.Framing;

namespace PxpActors.Multiplexing;

/// <summary>
/// The order frames leave a session in: control frames first (they are tiny and keep channel order; several go out as
/// one element), then one data frame per substream in turn, so substreams interleave fairly. It also remembers which
/// channels ran dry here and may be handed the carrier's direct route (see <see cref="MultiplexerStage"/>).
/// </summary>
internal sealed class FrameScheduler(int maxSendFramePayload)
{
    private readonly Queue<ByteString> _control = new();
    private readonly Queue<NamedSubstream> _ready = new();
    // Channels whose queue here ran empty: their writers may send directly once the carrier has sent all we pushed.
    private List<NamedSubstream>? _goingDirect;

    public int QueuedControlFrames => _control.Count;

    /// <summary>Nothing waits to be framed.</summary>
    public bool IsIdle => _control.Count == 0 && _ready.Count == 0;

    public void QueueControl(Frame frame) => _control.Enqueue(ByteString.FromBytes(frame.ToArray()));

    public void QueueControl(ByteString frame) => _control.Enqueue(frame);

    /// <summary>Puts <paramref name="substream"/>'s pending bytes in the round-robin (false if they are already).</summary>
    public bool QueueData(NamedSubstream substream)
    {
        if (substream.QueuedForSend) return false;
        substream.QueuedForSend = true;
        _ready.Enqueue(substream);
        return true;
    }

    /// <summary>The session is closing: no more data frames.</summary>
    public void DropData() => _ready.Clear();

    /// <summary>
    /// The next element for the carrier: batched control frames, else one data frame of <paramref name="payloadBytes"/> of
    /// <paramref name="from"/>'s pending bytes (out of the round-robin once it has none left). False if nothing waits.
    /// </summary>
    public bool TryNext(out ByteString element, out NamedSubstream? from, out int payloadBytes)
    {
        (from, payloadBytes) = (null, 0);
        if (_control.TryDequeue(out element!))
        {
            // Small frames queued together go out as one write.
            while (_control.TryPeek(out var next) && element.Count + next.Count <= maxSendFramePayload)
                element = element.Concat(_control.Dequeue());
            return true;
        }
        while (_ready.TryDequeue(out var substream))
        {
            if (substream.Pending.IsEmpty)
            {
                // Dropped while queued (the peer destroyed the channel): nothing to send for it.
                substream.QueuedForSend = false;
                continue;
            }
            payloadBytes = DataFrameSizes.NextPayload(substream.Pending.Count, maxSendFramePayload);
            element = EncodeData(substream.Local.Number, substream.Pending.Slice(0, payloadBytes));
            substream.Pending = substream.Pending.Slice(payloadBytes);
            if (substream.Pending.IsEmpty) substream.QueuedForSend = false;
            else _ready.Enqueue(substream);
            from = substream;
            return true;
        }
        element = ByteString.Empty;
        return false;
    }

    /// <summary><paramref name="substream"/> ran dry here and may be handed the direct route (see <see cref="GoingDirect"/>).</summary>
    public void MarkGoingDirect(NamedSubstream substream)
    {
        if (substream.GoingDirect) return;
        substream.GoingDirect = true;
        (_goingDirect ??= []).Add(substream);
    }

    /// <summary>Whether any substream waits for the direct route.</summary>
    public bool HasGoingDirect => _goingDirect is { Count: > 0 };

    /// <summary>The substreams waiting for the direct route; see <see cref="ClearGoingDirect"/>.</summary>
    public IReadOnlyList<NamedSubstream> GoingDirect => _goingDirect!;

    /// <summary>None waits for the direct route any more.</summary>
    public void ClearGoingDirect()
    {
        foreach (var substream in _goingDirect!) substream.GoingDirect = false;
        _goingDirect.Clear();
    }

    /// <summary>Header and payload as one element (one write), the payload not copied.</summary>
    public static ByteString EncodeData(uint channel, ByteString payload)
    {
        var header = channel << 3 | (uint)FrameType.DataFromCreator;
        var bytes = new byte[Varint.SizeOf(header) + Varint.SizeOf((uint)payload.Count)];
        var n = Varint.Write(header, bytes);
        Varint.Write((uint)payload.Count, bytes.AsSpan(n));
        return ByteString.FromBytes(bytes).Concat(payload);
    }
}
