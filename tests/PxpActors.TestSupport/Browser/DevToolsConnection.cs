using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.Browser;

/// <summary>
/// A client of the Chrome DevTools protocol over its WebSocket: numbered commands answered by id, and events
/// (method + params, with the session id of the page they come from when attached with <c>flatten</c>).
/// Disposing closes the socket and fails every command still waiting.
/// </summary>
public sealed class DevToolsConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _receive = Task.CompletedTask;
    private int _nextId;

    private DevToolsConnection()
    {
    }

    /// <summary>Every event: the session id (null for the browser's own), the method, its params.</summary>
    public event Action<string?, string, JsonObject>? EventReceived;

    /// <summary>Connects to a DevTools WebSocket URL (what Chromium prints after <c>DevTools listening on</c>).</summary>
    public static async Task<DevToolsConnection> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var connection = new DevToolsConnection();
        connection._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await connection._socket.ConnectAsync(endpoint, cancellationToken);
        connection._receive = Task.Run(connection.ReceiveAsync);
        return connection;
    }

    /// <summary>Sends a command and returns its result; throws <see cref="DevToolsException"/> on an error reply or timeout.</summary>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null, string? sessionId = null, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (sessionId is not null) message["sessionId"] = sessionId;
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        try
        {
            await _sendLock.WaitAsync(_stop.Token);
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
            }
            finally
            {
                _sendLock.Release();
            }
            var answer = await reply.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
            if (answer["error"] is JsonObject error)
                throw new DevToolsException($"{method} failed: {error["message"]} {error["data"]}");
            return answer["result"] as JsonObject ?? new JsonObject();
        }
        catch (TimeoutException)
        {
            throw new DevToolsException($"{method} got no reply within {timeout ?? TimeSpan.FromSeconds(30)}");
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            throw new DevToolsException($"{method}: the DevTools connection is gone ({e.Message})");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage) continue;
                var json = JsonNode.Parse(message.GetBuffer().AsSpan(0, (int)message.Length))!.AsObject();
                message.SetLength(0);
                Dispatch(json);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Chromium exited or we are disposing: the waiting commands fail below.
        }
        foreach (var waiting in _pending.Values)
            waiting.TrySetException(new DevToolsException("the DevTools connection closed"));
    }

    private void Dispatch(JsonObject message)
    {
        if (message["id"] is JsonNode id)
        {
            if (_pending.TryGetValue((int)id, out var reply)) reply.TrySetResult(message);
            return;
        }
        if (message["method"] is JsonNode method)
            EventReceived?.Invoke((string?)message["sessionId"], (string)method!, message["params"] as JsonObject ?? new JsonObject());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // Chromium is gone already.
        }
        _socket.Abort();
        await _receive;
        _socket.Dispose();
        _stop.Dispose();
    }
}
