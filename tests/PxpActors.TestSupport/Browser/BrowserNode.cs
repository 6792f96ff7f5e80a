using System.Text.Json;
using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.Browser;

/// <summary>
/// The reference running in one Chromium page (<see cref="ReferencePage"/>): what a test asks of it, and the events
/// it reported, awaited rather than polled. Disposing closes the page.
/// </summary>
public sealed class BrowserNode : IAsyncDisposable
{
    /// <summary>How long a step in the page may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private BrowserNode(BrowserPage page) => Page = page;

    /// <summary>The page the reference runs in.</summary>
    public BrowserPage Page { get; }

    /// <summary>Opens <see cref="ReferencePage"/> from <paramref name="site"/> and waits until the bundle has loaded.</summary>
    public static async Task<BrowserNode> OpenAsync(ChromiumBrowser browser, Uri site, string network)
    {
        var page = await browser.OpenPageAsync(new Uri(site, "?network=" + Uri.EscapeDataString(network)));
        var node = new BrowserNode(page);
        await page.WaitForEventAsync(e => Is(e, "ready"), Timeout, "the bundle to load");
        return node;
    }

    /// <summary>Connects to a node over WebSocket; returns the application connection's id once it is open.</summary>
    public async Task<int> ConnectAsync(Uri webSocket) =>
        (int)(await Page.EvaluateAsync($"pxp.connect({JsonSerializer.Serialize(webSocket.ToString())})", Timeout))!;

    /// <summary>getNewPeer; returns the new connection's id once it is open.</summary>
    public async Task<int> GetNewPeerAsync(TimeSpan? timeout = null) =>
        (int)(await Page.EvaluateAsync("pxp.getNewPeer()", timeout ?? Timeout))!;

    /// <summary>Writes UTF-8 text on an application connection.</summary>
    public Task SendAsync(int connection, string text) =>
        Page.EvaluateAsync($"pxp.send({connection}, {JsonSerializer.Serialize(text)})");

    /// <summary>The transports of the page's peers now ("ws", "webrtc", "relay").</summary>
    public async Task<IReadOnlyList<string>> PeerTransportsAsync() =>
        [.. ((await Page.EvaluateAsync("pxp.peers()"))!.AsArray()).Select(p => (string)p!["transport"]!)];

    /// <summary>Waits until the text received on <paramref name="connection"/> adds up to <paramref name="text"/>.</summary>
    public async Task WaitForTextAsync(int connection, string text)
    {
        await Page.WaitForEventAsync(_ => Received(connection) == text || !text.StartsWith(Received(connection), StringComparison.Ordinal),
            Timeout, $"'{text}' on connection {connection}");
        Assert(Received(connection) == text, $"connection {connection} received '{Received(connection)}', expected '{text}'");
    }

    /// <summary>Waits for a connection the page did not ask for (an incoming one), and returns it.</summary>
    public async Task<JsonObject> WaitForConnectAsync(Func<JsonObject, bool> match, string description) =>
        await Page.WaitForEventAsync(e => Is(e, "connect") && match(e), Timeout, description);

    /// <summary>Waits for an event named <paramref name="name"/> matching <paramref name="match"/>.</summary>
    public Task<JsonObject> WaitForAsync(string name, Func<JsonObject, bool>? match, string description, TimeSpan? timeout = null) =>
        Page.WaitForEventAsync(e => Is(e, name) && (match is null || match(e)), timeout ?? Timeout, description);

    /// <summary>Waits until the page has reported <paramref name="count"/> events named <paramref name="name"/> matching <paramref name="match"/>.</summary>
    public Task WaitForCountAsync(string name, Func<JsonObject, bool> match, int count, string description) =>
        Page.WaitForEventAsync(_ => Page.Events.Count(e => Is(e, name) && match(e)) >= count, Timeout, description);

    /// <summary>The events the page reported, as one line each (for failure messages).</summary>
    public string Describe() => string.Join("\n", Page.Events.Select(e => e.ToJsonString())) +
                                (Page.ConsoleErrors.Count > 0 ? "\nconsole: " + string.Join("\n  ", Page.ConsoleErrors) : "");

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Page.DisposeAsync();

    private string Received(int connection) => string.Concat(Page.Events
        .Where(e => Is(e, "data") && (int?)e["conn"] == connection).Select(e => (string?)e["text"]));

    private static bool Is(JsonObject e, string name) => (string?)e["event"] == name;

    private static void Assert(bool condition, string message)
    {
        if (!condition) throw new InvalidOperationException(message);
    }
}
