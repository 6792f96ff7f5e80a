namespace PxpActors.TestSupport.JsReference;

/// <summary>
/// Golden bytes from the running reference: the exact bytes a JS node writes at session start and
/// in reply to given raw requests, captured on a plain socket (so nothing of ours is involved).
/// </summary>
public static class JsGoldenBytes
{
    /// <summary>
    /// A fresh JS exchange on <paramref name="network"/> accepts a plain socket; the requests are
    /// written in order and the node's replies to each are returned.
    /// </summary>
    public static async Task<GoldenSession> FromAcceptingNodeAsync(
        JsDriver driver, string network, IReadOnlyList<GoldenRequest> requests, JsExchangeOptions? options = null)
    {
        var exchange = await driver.CreateExchangeAsync(UniqueName("golden-accepting"), network, options).ConfigureAwait(false);
        try
        {
            var port = await exchange.ListenAsync().ConfigureAwait(false);
            return await FromAcceptingNodeAsync(driver, port, requests).ConfigureAwait(false);
        }
        finally
        {
            await exchange.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The same against an existing listening JS node at 127.0.0.1:<paramref name="port"/> (for requests that need its other peers, like relay).</summary>
    public static async Task<GoldenSession> FromAcceptingNodeAsync(JsDriver driver, int port, IReadOnlyList<GoldenRequest> requests)
    {
        await using var capture = await driver.CaptureConnectAsync(port).ConfigureAwait(false);
        return await CaptureAsync(capture, requests).ConfigureAwait(false);
    }

    /// <summary>
    /// A fresh JS exchange connects out (swarm.connect) to a plain listening socket; the requests
    /// are written in order (e.g. magic + open + hello first, which makes the node send connect).
    /// </summary>
    public static async Task<GoldenSession> FromConnectingNodeAsync(
        JsDriver driver, string network, IReadOnlyList<GoldenRequest> requests, JsExchangeOptions? options = null)
    {
        var exchange = await driver.CreateExchangeAsync(UniqueName("golden-connecting"), network, options).ConfigureAwait(false);
        try
        {
            await using var capture = await driver.CaptureListenAsync().ConfigureAwait(false);
            await exchange.StartConnectAsync(capture.Port!.Value).ConfigureAwait(false);
            await capture.WaitAcceptedAsync().ConfigureAwait(false);
            return await CaptureAsync(capture, requests).ConfigureAwait(false);
        }
        finally
        {
            await exchange.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The bytes a JS node on <paramref name="network"/> writes first on a connection it accepted.</summary>
    public static async Task<byte[]> SessionStartAsync(JsDriver driver, string network, JsExchangeOptions? options = null) =>
        (await FromAcceptingNodeAsync(driver, network, [], options).ConfigureAwait(false)).SessionStart;

    private static async Task<GoldenSession> CaptureAsync(JsCapture capture, IReadOnlyList<GoldenRequest> requests)
    {
        var start = await capture.ReadSessionStartAsync().ConfigureAwait(false);
        var replies = new List<byte[]>(requests.Count);
        foreach (var request in requests)
        {
            await capture.WriteAsync(request.Bytes).ConfigureAwait(false);
            replies.Add(request.ReplyMessages > 0 ? await capture.ReadRpcMessagesAsync(request.ReplyMessages).ConfigureAwait(false) : []);
        }

        return new GoldenSession(start, replies);
    }

    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
