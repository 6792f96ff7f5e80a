namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// The bytes of one stream reassembled from the event log (data events of one connection or
/// capture), _scanned incrementally so long transfers stay linear.
/// </summary>
internal sealed class JsStreamBytes(Func<JsEvent, bool> belongs)
{
    private readonly object _gate = new();
    private readonly MemoryStream _received = new();
    private int _scanned;

    /// <summary>Takes in any events of <paramref name="log"/> (a prefix-stable list) not seen yet; returns the total length.</summary>
    public int CatchUp(IReadOnlyList<JsEvent> log)
    {
        lock (_gate)
        {
            for (; _scanned < log.Count; _scanned++)
            {
                var e = log[_scanned];
                if (belongs(e))
                {
                    _received.Write(e.Data);
                }
            }

            return (int)_received.Length;
        }
    }

    /// <summary>A copy of bytes [start, end).</summary>
    public byte[] Slice(int start, int end)
    {
        lock (_gate)
        {
            return _received.GetBuffer().AsSpan(start, end - start).ToArray();
        }
    }

    /// <summary>A copy of everything _received so far (as of the last catch-up).</summary>
    public byte[] All()
    {
        lock (_gate)
        {
            return _received.ToArray();
        }
    }
}
