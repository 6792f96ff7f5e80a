using System.Text;
using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// An application connection of a JS exchange (a data:&lt;network&gt; stream, or a relayed stream).
/// Reads consume the bytes the reference delivered on it, in order, from a cursor of this handle.
/// </summary>
public sealed class JsConnection
{
    private readonly JsStreamBytes _received;
    private int _consumed;

    internal JsConnection(JsDriver driver, string? exchange, int id, int? peer)
    {
        Driver = driver;
        Exchange = exchange;
        Id = id;
        PeerId = peer;
        _received = new JsStreamBytes(e => e.Kind == "data" && e.Conn == id);
    }

    public JsDriver Driver { get; }

    public string? Exchange { get; }

    public int Id { get; }

    /// <summary>The id of the pxp peer (session) carrying it; null for a relayed stream without one.</summary>
    public int? PeerId { get; }

    /// <summary>The pxp peer (session) carrying it; null for a relayed stream without one.</summary>
    public JsPeer? Peer => PeerId is { } id ? new JsPeer(Driver, Exchange ?? "", id) : null;

    public Task WriteAsync(ReadOnlyMemory<byte> bytes) =>
        Driver.SendAsync("write", new JsonObject { ["conn"] = Id, ["data"] = Convert.ToBase64String(bytes.Span) });

    public Task WriteTextAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Half-closes the connection (stream.end()).</summary>
    public Task EndAsync() => Driver.SendAsync("end", new JsonObject { ["conn"] = Id });

    /// <summary>stream.destroy()</summary>
    public Task DestroyAsync() => Driver.SendAsync("destroyConn", new JsonObject { ["conn"] = Id });

    /// <summary>All bytes _received on this connection so far, regardless of the cursor.</summary>
    public byte[] ReceivedSoFar()
    {
        _received.CatchUp(Driver.Events.Snapshot());
        return _received.All();
    }

    /// <summary>The next <paramref name="count"/> _received bytes, waiting for them to arrive.</summary>
    public async Task<byte[]> ReadExactlyAsync(int count, TimeSpan? timeout = null)
    {
        var start = _consumed;
        var bytes = await Driver.Events.WaitForAsync(
            all => _received.CatchUp(all) >= start + count ? (true, _received.Slice(start, start + count)) : (false, []),
            timeout ?? JsDriver.DefaultTimeout,
            $"{count} bytes on connection {Id}").ConfigureAwait(false);
        _consumed = start + count;
        return bytes;
    }

    /// <summary>The next bytes as UTF-8 text of the given byte length.</summary>
    public async Task<string> ReadTextAsync(int byteCount, TimeSpan? timeout = null) =>
        Encoding.UTF8.GetString(await ReadExactlyAsync(byteCount, timeout).ConfigureAwait(false));

    /// <summary>The reference ended or closed this connection.</summary>
    public Task<JsEvent> WaitClosedAsync(TimeSpan? timeout = null) =>
        Driver.Events.WaitForAsync(
            e => e.Conn == Id && e.Kind is "connEnd" or "connClose",
            timeout ?? JsDriver.DefaultTimeout,
            $"connection {Id} to end");
}
