using PxpActors.WebRtc.Sctp.Chunks;

namespace PxpActors.WebRtc.Sctp;

/// <summary>
/// The receiving half of data transfer: which TSNs arrived (cumulative TSN, gaps, duplicates for the
/// next SACK, RFC 9260 6.2), reassembly of fragments (6.9), ordered delivery per stream and unordered
/// delivery (6.6), FORWARD TSN skipping (RFC 3758 3.6) and incoming stream resets (RFC 6525 5.2.2).
/// Everything held here counts against our advertised window.
/// </summary>
internal sealed class DataReceiver(uint peerInitialTsn, int bufferSize, int maxMessageSize, Action<SctpEvent.MessageReceived> deliver)
{
    private const int MaxRememberedDuplicates = 32;
    // Gap block offsets are 16-bit, so nothing further than this above the cumulative TSN can be acknowledged.
    private const uint MaxTsnLead = 65000;

    private readonly SortedSet<uint> _aboveCumulative = new(SerialNumber.TsnComparer);
    private readonly List<uint> _duplicates = [];
    private readonly Dictionary<uint, DataChunk> _fragments = [];
    private readonly Dictionary<ushort, OrderedInbound> _orderedStreams = [];
    private int _fragmentBytes;
    private int _pendingOrderedBytes;

    public uint CumulativeTsn { get; private set; } = peerInitialTsn - 1;

    /// <summary>Payload bytes held for reassembly or for an earlier ordered message.</summary>
    public int BytesHeld => _fragmentBytes + _pendingOrderedBytes;

    public bool HasGaps => _aboveCumulative.Count > 0;

    /// <summary>Accepts one DATA chunk; <paramref name="heldElsewhere"/> is what the owner still holds undelivered.</summary>
    public DataReceiveResult OnData(DataChunk chunk, int heldElsewhere, bool discardPayload)
    {
        var tsn = chunk.Tsn;
        if (SerialNumber.LessOrEqual(tsn, CumulativeTsn) || _aboveCumulative.Contains(tsn))
        {
            if (_duplicates.Count < MaxRememberedDuplicates)
                _duplicates.Add(tsn);
            return DataReceiveResult.Duplicate;
        }
        if (tsn - CumulativeTsn > MaxTsnLead)
            return DataReceiveResult.Dropped;
        var inUse = BytesHeld + heldElsewhere + chunk.UserData.Length;
        if (inUse > bufferSize)
        {
            // Window full (6.2): new data is dropped, but a chunk that fills a gap is taken, and so is the
            // rest of a partial message when nothing else holds the window, or reassembly could never finish.
            var fillsGap = _aboveCumulative.Count > 0 && SerialNumber.Less(tsn, _aboveCumulative.Max);
            var onlyPartialMessagesHeld = heldElsewhere == 0 && _pendingOrderedBytes == 0;
            if (!(fillsGap || onlyPartialMessagesHeld) || inUse > bufferSize + maxMessageSize)
                return DataReceiveResult.Dropped;
        }

        if (tsn == CumulativeTsn + 1)
        {
            CumulativeTsn = tsn;
            AbsorbConsecutive();
        }
        else
            _aboveCumulative.Add(tsn);

        if (discardPayload || IsStale(chunk))
            return DataReceiveResult.Accepted;
        if (chunk.Beginning && chunk.Ending)
            Complete(chunk, chunk.UserData);
        else
        {
            _fragments[tsn] = chunk;
            _fragmentBytes += chunk.UserData.Length;
            TryReassemble(tsn);
        }
        return DataReceiveResult.Accepted;
    }

    /// <summary>RFC 3758 3.6: move the cumulative TSN forward and skip abandoned ordered messages.</summary>
    public void OnForwardTsn(ForwardTsnChunk forward)
    {
        var newCumulative = forward.NewCumulativeTsn;
        if (SerialNumber.LessOrEqual(newCumulative, CumulativeTsn))
            return;
        foreach (var tsn in _fragments.Keys.Where(t => SerialNumber.LessOrEqual(t, newCumulative)).ToList())
        {
            _fragmentBytes -= _fragments[tsn].UserData.Length;
            _fragments.Remove(tsn);
        }
        while (_aboveCumulative.Count > 0 && SerialNumber.LessOrEqual(_aboveCumulative.Min, newCumulative))
            _aboveCumulative.Remove(_aboveCumulative.Min);
        CumulativeTsn = newCumulative;
        AbsorbConsecutive();
        foreach (var skip in forward.Streams)
        {
            var stream = Ordered(skip.StreamId);
            if (SerialNumber.LessOrEqual(stream.NextSsn, skip.StreamSequenceNumber))
                stream.NextSsn = (ushort)(skip.StreamSequenceNumber + 1);
            foreach (var stale in stream.Pending.Keys.Where(s => SerialNumber.Less(s, stream.NextSsn)).ToList())
            {
                _pendingOrderedBytes -= stream.Pending[stale].Data.Length;
                stream.Pending.Remove(stale);
            }
            DeliverReady(stream);
        }
    }

    /// <summary>RFC 6525 5.2.2: the peer's outgoing streams restart at SSN 0 (all of them when the list is empty).</summary>
    public void ResetStreams(IReadOnlyList<ushort> streams)
    {
        var affected = streams.Count == 0 ? _orderedStreams.Keys.ToList() : streams;
        foreach (var id in affected)
            if (_orderedStreams.Remove(id, out var stream))
                foreach (var pending in stream.Pending.Values)
                    _pendingOrderedBytes -= pending.Data.Length;
    }

    /// <summary>The SACK describing what arrived, with at most <paramref name="maxBlocks"/> gap blocks; clears duplicates.</summary>
    public SackChunk BuildSack(uint advertisedWindow, int maxBlocks)
    {
        var blocks = new List<GapAckBlock>();
        uint? runStart = null, runEnd = null;
        foreach (var tsn in _aboveCumulative)
        {
            if (runEnd is { } end && tsn == end + 1)
            {
                runEnd = tsn;
                continue;
            }
            if (runStart is { } start && blocks.Count < maxBlocks)
                blocks.Add(new GapAckBlock((ushort)(start - CumulativeTsn), (ushort)(runEnd!.Value - CumulativeTsn)));
            runStart = runEnd = tsn;
        }
        if (runStart is { } lastStart && blocks.Count < maxBlocks)
            blocks.Add(new GapAckBlock((ushort)(lastStart - CumulativeTsn), (ushort)(runEnd!.Value - CumulativeTsn)));
        var duplicates = _duplicates.ToArray();
        _duplicates.Clear();
        return new SackChunk(CumulativeTsn, advertisedWindow, blocks, duplicates);
    }

    public int DuplicateCount => _duplicates.Count;

    private void AbsorbConsecutive()
    {
        while (_aboveCumulative.Count > 0 && _aboveCumulative.Min == CumulativeTsn + 1)
        {
            CumulativeTsn++;
            _aboveCumulative.Remove(CumulativeTsn);
        }
    }

    private bool IsStale(DataChunk chunk) =>
        !chunk.Unordered && _orderedStreams.TryGetValue(chunk.StreamId, out var stream)
        && SerialNumber.Less(chunk.StreamSequenceNumber, stream.NextSsn);

    /// <summary>
    /// Completes the message <paramref name="tsn"/> belongs to when all its fragments are here. The run is walked
    /// forward to its ending first: fragments arriving in order stop after one lookup, and only the last one walks
    /// the whole message (walking back first cost every fragment a walk to the beginning, quadratic per message).
    /// </summary>
    private void TryReassemble(uint tsn)
    {
        var probe = _fragments[tsn];
        var last = tsn;
        while (!_fragments[last].Ending)
        {
            if (!_fragments.TryGetValue(last + 1, out var next) || next.Beginning || !SameMessage(next, probe))
                return;
            last++;
        }
        var first = tsn;
        while (!_fragments[first].Beginning)
        {
            if (!_fragments.TryGetValue(first - 1, out var previous) || previous.Ending || !SameMessage(previous, probe))
                return;
            first--;
        }
        var total = 0;
        for (var t = first; t != last + 1; t++)
            total += _fragments[t].UserData.Length;
        if (total > maxMessageSize)
            throw new SctpProtocolException($"Peer sent a {total}-byte message; the limit is {maxMessageSize}.");
        var data = new byte[total];
        var offset = 0;
        for (var t = first; t != last + 1; t++)
        {
            var part = _fragments[t].UserData;
            part.Span.CopyTo(data.AsSpan(offset));
            offset += part.Length;
            _fragments.Remove(t);
        }
        _fragmentBytes -= total;
        Complete(probe, data);
    }

    private static bool SameMessage(DataChunk a, DataChunk b) =>
        a.StreamId == b.StreamId && a.Unordered == b.Unordered && (a.Unordered || a.StreamSequenceNumber == b.StreamSequenceNumber);

    private void Complete(DataChunk head, ReadOnlyMemory<byte> data)
    {
        var message = new SctpEvent.MessageReceived(head.StreamId, head.PayloadProtocolId, data, head.Unordered);
        if (head.Unordered)
        {
            deliver(message);
            return;
        }
        var stream = Ordered(head.StreamId);
        if (head.StreamSequenceNumber == stream.NextSsn)
        {
            stream.NextSsn++;
            deliver(message);
            DeliverReady(stream);
        }
        else if (SerialNumber.Less(stream.NextSsn, head.StreamSequenceNumber) && stream.Pending.TryAdd(head.StreamSequenceNumber, message))
            _pendingOrderedBytes += data.Length;
    }

    private void DeliverReady(OrderedInbound stream)
    {
        while (stream.Pending.Remove(stream.NextSsn, out var next))
        {
            _pendingOrderedBytes -= next.Data.Length;
            stream.NextSsn++;
            deliver(next);
        }
    }

    private OrderedInbound Ordered(ushort id)
    {
        if (!_orderedStreams.TryGetValue(id, out var stream))
            _orderedStreams[id] = stream = new OrderedInbound();
        return stream;
    }

    private sealed class OrderedInbound
    {
        public ushort NextSsn;
        public readonly Dictionary<ushort, SctpEvent.MessageReceived> Pending = [];
    }
}
