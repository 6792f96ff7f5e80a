using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace PxpActors.TestSupport.Browser;

/// <summary>
/// One headless Chromium (Debian's <c>chromium</c>) driven over the DevTools protocol: it opens pages (tabs) that each
/// run their own WebRTC. Disposing closes the pages, kills Chromium and deletes its temporary profile.
/// </summary>
public sealed partial class ChromiumBrowser : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _profile;
    private readonly List<BrowserPage> _pages = [];

    private ChromiumBrowser(Process process, string profile, DevToolsConnection devTools, ChromiumMode mode)
    {
        _process = process;
        _profile = profile;
        DevTools = devTools;
        Mode = mode;
    }

    /// <summary>The Chromium executable ($PXP_CHROMIUM, else the usual Debian paths), or null.</summary>
    public static string? Executable =>
        Environment.GetEnvironmentVariable("PXP_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured)
            ? configured
            : Candidates.FirstOrDefault(File.Exists);

    /// <summary>Why browser tests cannot run here, or null when they can.</summary>
    public static string? MissingReason => Executable is null
        ? "Chromium is not installed (looked for " + string.Join(", ", Candidates) + " and $PXP_CHROMIUM)."
        : null;

    /// <summary>The connection to the browser (its pages share it, each with a session id).</summary>
    public DevToolsConnection DevTools { get; }

    /// <summary>How the pages' WebRTC shows host addresses.</summary>
    public ChromiumMode Mode { get; }

    /// <summary>The Chromium process id (to check it is gone after disposal).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts Chromium (skips the test when it is missing) and connects to its DevTools endpoint.</summary>
    public static async Task<ChromiumBrowser> StartAsync(ChromiumMode mode)
    {
        Skip.If(MissingReason is not null, MissingReason);
        var profile = Directory.CreateTempSubdirectory("pxp-chromium-").FullName;
        var start = new ProcessStartInfo(Executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var arguments = new List<string>
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
            "--window-size=1024,700", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            $"--user-data-dir={profile}",
        };
        if (mode == ChromiumMode.Plain) arguments.Add("--allow-loopback-in-peer-connection");
        arguments.Add("about:blank");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var endpoint = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                endpoint.TrySetException(new DevToolsException("Chromium exited before its DevTools endpoint was up:\n" + stderr));
                return;
            }
            lock (stderr) if (stderr.Length < 8192) stderr.AppendLine(line.Data);
            if (DevToolsLine().Match(line.Data) is { Success: true } match) endpoint.TrySetResult(new Uri(match.Groups[1].Value));
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var url = await endpoint.Task.WaitAsync(StartTimeout);
            using var connecting = new CancellationTokenSource(StartTimeout);
            var devTools = await DevToolsConnection.ConnectAsync(url, connecting.Token);
            return new ChromiumBrowser(process, profile, devTools, mode);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Opens a new page on <paramref name="url"/>: its events (the page calls <c>window.pxpReport(json)</c>) are
    /// recorded, and in <see cref="ChromiumMode.Plain"/> its origin is granted camera and microphone first.
    /// </summary>
    public async Task<BrowserPage> OpenPageAsync(Uri url)
    {
        if (Mode == ChromiumMode.Plain)
        {
            await DevTools.SendAsync("Browser.grantPermissions", new JsonObject
            {
                ["origin"] = url.GetLeftPart(UriPartial.Authority),
                ["permissions"] = new JsonArray("audioCapture", "videoCapture"),
            });
        }
        var target = await DevTools.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var targetId = (string)target["targetId"]!;
        var attached = await DevTools.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = targetId, ["flatten"] = true });
        var page = new BrowserPage(this, targetId, (string)attached["sessionId"]!);
        lock (_pages) _pages.Add(page);
        await page.NavigateAsync(url);
        return page;
    }

    internal void Forget(BrowserPage page)
    {
        lock (_pages) _pages.Remove(page);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        BrowserPage[] pages;
        lock (_pages) pages = [.. _pages];
        foreach (var page in pages) await page.DisposeAsync();
        await DevTools.DisposeAsync();
        Kill(_process);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_profile, recursive: true);
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();
}
