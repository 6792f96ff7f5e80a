using PxpActors.TestSupport.Browser;
using PxpActors.TestSupport.JsReference;
using Xunit;

namespace PxpActors.Interop.Tests.Browser;

/// <summary>
/// What a browser test class shares: the site serving <see cref="ReferencePage"/> with the bundle, and one Chromium per
/// <see cref="ChromiumMode"/>, each started on first use (a test skips there, with the reason, when Chromium or npm is
/// missing). Every page a test opens it closes itself; the class's end kills the browsers.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Dictionary<ChromiumMode, ChromiumBrowser> _browsers = new();
    private StaticSite? _site;
    private bool _mdnsUsedByEarlierTest;

    /// <summary>The site's address (the page is at "/").</summary>
    public Uri Site => _site?.BaseAddress ?? throw new InvalidOperationException("Call BrowserAsync first");

    /// <summary>The Chromium of <paramref name="mode"/> (started, and the site with it, on first use).</summary>
    public async Task<ChromiumBrowser> BrowserAsync(ChromiumMode mode)
    {
        Skip.If(ChromiumBrowser.MissingReason is not null, ChromiumBrowser.MissingReason);
        NodeTool.SkipUnlessAvailable();
        await _lock.WaitAsync();
        try
        {
            _site ??= await ReferencePage.ServeAsync();
            if (_browsers.TryGetValue(mode, out var browser) && mode == ChromiumMode.Mdns && _mdnsUsedByEarlierTest)
            {
                await browser.DisposeAsync();
                _browsers.Remove(mode);
            }
            if (mode == ChromiumMode.Mdns) _mdnsUsedByEarlierTest = false;
            if (!_browsers.TryGetValue(mode, out browser)) _browsers[mode] = browser = await ChromiumBrowser.StartAsync(mode);
            return browser;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// A test begins: its mDNS-mode pages get a Chromium of their own. One that answered an earlier test's mDNS queries
    /// was seen to answer none for the next test's names (its responder goes quiet), so that browser is not shared.
    /// </summary>
    public void BeginTest() => _mdnsUsedByEarlierTest = true;

    /// <summary>Opens the reference in a new page of the <paramref name="mode"/> browser.</summary>
    public async Task<BrowserNode> OpenNodeAsync(ChromiumMode mode, string network) =>
        await BrowserNode.OpenAsync(await BrowserAsync(mode), Site, network);

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var browser in _browsers.Values) await browser.DisposeAsync();
        if (_site is not null) await _site.DisposeAsync();
    }
}
