namespace PxpActors.Diagnostics;

/// <summary>
/// Counts one session transport's bytes into <c>pxp.bytes.received</c> and <c>pxp.bytes.sent</c>, tagged with the
/// transport's name. Called once per read or write call of the transport (a socket read or send, a chunk a carrier
/// hands over), never per frame, and the tag is made once: no allocation on the hot path. Without a name (a stage that
/// is not a session's transport, such as a hub's relay pipe) nothing is counted.
/// </summary>
internal readonly struct TransportTraffic(string? transport)
{
    private readonly KeyValuePair<string, object?> _tag = new(transport is null ? null! : "transport", transport);

    public void Received(long bytes)
    {
        if (_tag.Key is not null) PxpMetrics.BytesReceived.Add(bytes, _tag);
    }

    public void Sent(long bytes)
    {
        if (_tag.Key is not null) PxpMetrics.BytesSent.Add(bytes, _tag);
    }
}
