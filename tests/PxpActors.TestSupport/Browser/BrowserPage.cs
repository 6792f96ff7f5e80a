using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PxpActors.TestSupport.Browser;

/// <summary>
/// One Chromium page (tab) attached over DevTools: evaluate script in it (promises awaited), the events it reports by
/// calling <c>window.pxpReport(json)</c>, its console errors and uncaught exceptions, screenshots. Disposing closes it.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    /// <summary>The binding a page calls with one JSON object per event.</summary>
    public const string ReportBinding = "pxpReport";

    private readonly ChromiumBrowser _browser;
    private readonly string _targetId;
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly ConcurrentQueue<string> _console = new();
    private TaskCompletionSource _changed = NewSignal();
    private TaskCompletionSource _loaded = NewSignal();
    private bool _closed;

    internal BrowserPage(ChromiumBrowser browser, string targetId, string sessionId)
    {
        _browser = browser;
        _targetId = targetId;
        SessionId = sessionId;
        browser.DevTools.EventReceived += OnEvent;
    }

    /// <summary>The DevTools session of this page.</summary>
    public string SessionId { get; }

    /// <summary>Every event the page reported, in order.</summary>
    public IReadOnlyList<JsonObject> Events => [.. _events];

    /// <summary>The page's console errors and uncaught exceptions (for failure messages).</summary>
    public IReadOnlyList<string> ConsoleErrors => [.. _console];

    internal async Task NavigateAsync(Uri url)
    {
        await SendAsync("Runtime.enable");
        await SendAsync("Page.enable");
        await SendAsync("Runtime.addBinding", new JsonObject { ["name"] = ReportBinding });
        var loaded = _loaded.Task;
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        await loaded.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Evaluates <paramref name="expression"/> (awaiting a promise) and returns its JSON value (null for undefined).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, TimeSpan? timeout = null)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["awaitPromise"] = true,
            ["returnByValue"] = true,
        }, timeout ?? TimeSpan.FromSeconds(60));
        if (result["exceptionDetails"] is JsonObject exception)
            throw new DevToolsException($"The page threw: {exception["exception"]?["description"] ?? exception["text"]}");
        return result["result"]?["value"]?.DeepClone();
    }

    /// <summary>Waits for a reported event matching <paramref name="match"/>; an "error" event the page reports fails the wait.</summary>
    public async Task<JsonObject> WaitForEventAsync(Func<JsonObject, bool> match, TimeSpan timeout, string description)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (_events.FirstOrDefault(match) is { } found) return found;
            if (_events.FirstOrDefault(e => (string?)e["event"] == "error") is { } error)
                throw new DevToolsException($"The page reported an error while waiting for {description}: {error.ToJsonString()}");
            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The page did not report {description} within {timeout}. Events: " +
                    string.Join(" ", _events.Select(e => e.ToJsonString())) + " Console: " + string.Join(" | ", _console));
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="expression"/> (evaluated in the page whenever its DOM changes) is truthy, and
    /// returns its value.
    /// </summary>
    public Task<JsonNode?> WaitForDomAsync(string expression, TimeSpan timeout) => EvaluateAsync($$"""
        new Promise((resolve, reject) => {
          const test = () => {
            const value = ({{expression}})
            if (!value) return
            observer.disconnect()
            clearTimeout(timer)
            resolve(value)
          }
          const observer = new MutationObserver(test)
          const timer = setTimeout(() => { observer.disconnect(); reject(new Error('the page never showed: ' + {{JsonSerializer.Serialize(expression)}})) }, {{(int)timeout.TotalMilliseconds}})
          observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true })
          test()
        })
        """, timeout + TimeSpan.FromSeconds(5));

    /// <summary>A PNG of the page as it is drawn now.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        return Convert.FromBase64String((string)shot["data"]!);
    }

    /// <summary>Closes the tab: its WebSockets and peer connections end as when a user closes it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closed) return;
        _closed = true;
        _browser.DevTools.EventReceived -= OnEvent;
        _browser.Forget(this);
        try
        {
            await _browser.DevTools.SendAsync("Target.closeTarget", new JsonObject { ["targetId"] = _targetId });
        }
        catch (DevToolsException)
        {
            // Chromium is gone already: so is the page.
        }
    }

    private Task<JsonObject> SendAsync(string method, JsonObject? parameters = null, TimeSpan? timeout = null) =>
        _browser.DevTools.SendAsync(method, parameters, SessionId, timeout);

    private void OnEvent(string? sessionId, string method, JsonObject parameters)
    {
        if (sessionId != SessionId) return;
        switch (method)
        {
            case "Runtime.bindingCalled" when (string?)parameters["name"] == ReportBinding:
                if (JsonNode.Parse((string)parameters["payload"]!) is JsonObject reported) _events.Enqueue(reported);
                Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
                break;
            case "Runtime.exceptionThrown":
                _console.Enqueue("uncaught: " + (parameters["exceptionDetails"]?["exception"]?["description"] ?? parameters["exceptionDetails"]?["text"]));
                break;
            case "Runtime.consoleAPICalled" when (string?)parameters["type"] is "error" or "warning":
                _console.Enqueue(string.Join(" ", (parameters["args"] as JsonArray ?? []).Select(a => a?["value"]?.ToString() ?? a?["description"]?.ToString())));
                break;
            case "Page.loadEventFired":
                _loaded.TrySetResult();
                break;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
