using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// A plain TCP socket in the driver facing a PXP node: the test writes raw bytes, and gets back
/// exactly the bytes the node wrote, cut at RPC message boundaries if wanted. Reads advance a cursor.
/// </summary>
public sealed class JsCapture : IAsyncDisposable
{
    private readonly JsStreamBytes _received;
    private int _consumed;
    private int _messagesRead;

    internal JsCapture(JsDriver driver, int id, int? port)
    {
        Driver = driver;
        Id = id;
        Port = port;
        _received = new JsStreamBytes(e => e.Kind == "captureData" && e.Capture == id);
    }

    public JsDriver Driver { get; }

    public int Id { get; }

    /// <summary>The port a node should connect to (listening captures only).</summary>
    public int? Port { get; }

    public Task WriteAsync(ReadOnlyMemory<byte> bytes) =>
        Driver.SendAsync("captureWrite", new JsonObject { ["capture"] = Id, ["data"] = Convert.ToBase64String(bytes.Span) });

    /// <summary>Half-closes the socket.</summary>
    public Task EndAsync() => Driver.SendAsync("captureEnd", new JsonObject { ["capture"] = Id });

    /// <summary>Everything the node wrote so far, regardless of the cursor.</summary>
    public byte[] ReceivedSoFar()
    {
        _received.CatchUp(Driver.Events.Snapshot());
        return _received.All();
    }

    /// <summary>A listening capture: waits for the node to connect.</summary>
    public Task<JsEvent> WaitAcceptedAsync(TimeSpan? timeout = null) =>
        Driver.Events.WaitForAsync(
            e => e.Kind == "captureAccepted" && e.Capture == Id, timeout ?? JsDriver.DefaultTimeout, $"capture {Id} to be connected");

    /// <summary>The next <paramref name="count"/> bytes the node wrote.</summary>
    public async Task<byte[]> ReadExactlyAsync(int count, TimeSpan? timeout = null)
    {
        var start = _consumed;
        var bytes = await Driver.Events.WaitForAsync(
            all => _received.CatchUp(all) >= start + count ? (true, _received.Slice(start, start + count)) : (false, []),
            timeout ?? JsDriver.DefaultTimeout,
            $"{count} captured bytes on capture {Id}").ConfigureAwait(false);
        _consumed = start + count;
        return bytes;
    }

    /// <summary>
    /// The bytes from the cursor through the frame that completes the next <paramref name="count"/>
    /// RPC messages the node wrote on its "pxp" channel (frames before them, like opens, included).
    /// </summary>
    public async Task<byte[]> ReadRpcMessagesAsync(int count = 1, TimeSpan? timeout = null)
    {
        var start = _consumed;
        var target = _messagesRead + count;
        var (bytes, end) = await Driver.Events.WaitForAsync(
            all =>
            {
                var length = _received.CatchUp(all);
                var end = PxpCaptureScanner.EndOfRpcMessage(_received.Slice(0, length), target);
                return end < 0 ? (false, (Array.Empty<byte>(), 0)) : (true, (_received.Slice(start, end), end));
            },
            timeout ?? JsDriver.DefaultTimeout,
            $"RPC message {target} on capture {Id}").ConfigureAwait(false);
        _consumed = end;
        _messagesRead = target;
        return bytes;
    }

    /// <summary>What a node writes first, unprompted: the magic, the open of "pxp" and its hello.</summary>
    public Task<byte[]> ReadSessionStartAsync(TimeSpan? timeout = null)
    {
        if (_consumed != 0)
        {
            throw new InvalidOperationException("The session start was already read from this capture.");
        }

        return ReadRpcMessagesAsync(1, timeout);
    }

    /// <summary>The node closed its side of the socket.</summary>
    public Task<JsEvent> WaitClosedAsync(TimeSpan? timeout = null) =>
        Driver.Events.WaitForAsync(
            e => e.Capture == Id && e.Kind is "captureEnd" or "captureClose",
            timeout ?? JsDriver.DefaultTimeout,
            $"capture {Id} to be closed by the node");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Driver.SendAsync("captureDestroy", new JsonObject { ["capture"] = Id }).ConfigureAwait(false);
        }
        catch (JsReferenceException)
        {
            // The driver is gone or already dropped the capture: nothing left to release.
        }
    }
}
