using System.Buffers.Binary;
using PxpActors.TestSupport.Browser;
using PxpActors.TestSupport.Host;
using PxpActors.TestSupport.JsReference;
using Xunit;
using Xunit.Abstractions;

namespace PxpActors.Tests.Host;

/// <summary>
/// --serve-demo: the host serves the browser demo page (the repo's demo/ folder with the reference's browser bundle),
/// whose pages join the host over its WebSocket listener; checked in headless Chromium, with a screenshot.
/// </summary>
public sealed class HostDemoSpec(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task The_demo_page_must_list_the_dotnet_node_among_its_peers_and_chat_with_it()
    {
        Skip.If(ChromiumBrowser.MissingReason is not null, ChromiumBrowser.MissingReason);
        NodeTool.SkipUnlessAvailable();
        await BrowserBundle.EnsureBuiltAsync();
        await using var host = HostProcess.Start("--json", "--network", "demo-test", "--listen", "ws://127.0.0.1:0/",
            "--serve-demo", BrowserBundle.DemoDirectory, "--demo-url", "http://127.0.0.1:0/", "--send", "hello from the .NET host");
        await host.NextEventAsync("listening");
        var demo = new Uri((await host.NextEventAsync("demo")).GetProperty("url").GetString()!);
        Assert.Matches(@"^http://127\.0\.0\.1:[1-9][0-9]*/$", demo.ToString());

        await using var browser = await ChromiumBrowser.StartAsync(ChromiumMode.Mdns);
        await using var page = await browser.OpenPageAsync(demo);
        var listed = (string)(await page.WaitForDomAsync("document.querySelector('#peers li.dotnet')?.textContent", Patience))!;
        Assert.StartsWith(".NET node", listed);
        Assert.Contains("over WebSocket", listed);
        Assert.True((await host.NextEventAsync("peer")).GetProperty("incoming").GetBoolean());
        await page.WaitForDomAsync("document.getElementById('log').textContent.includes('.NET node: hello from the .NET host')", Patience);

        // A person types into the chat box: the host hears it.
        await page.EvaluateAsync("document.getElementById('text').value = 'hello from chromium'; document.getElementById('chat').requestSubmit(); true");
        Assert.Equal("hello from chromium", (await host.NextEventAsync("data")).GetProperty("text").GetString());

        var png = await page.ScreenshotAsync();
        var path = Path.Combine(AppContext.BaseDirectory, "screenshots", "demo-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, png);
        output.WriteLine($"screenshot: {path}");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(1024, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16))); // IHDR width: the window's
        Assert.Empty(page.ConsoleErrors);
    }

    [Theory]
    [InlineData("pxp: --serve-demo: no folder /nonexistent-demo", "--serve-demo", "/nonexistent-demo")]
    [InlineData("pxp: --demo-url: only with --serve-demo DIR", "--demo-url", "http://127.0.0.1:0/")]
    [InlineData("pxp: --demo-url: 127.0.0.1:7080 is not a URL like http://127.0.0.1:7080/", "--serve-demo", "{demo}", "--demo-url", "127.0.0.1:7080")]
    [InlineData("pxp: --demo-url: http://127.0.0.1:7080/demo: the page is served at the root, so the URL has no path", "--serve-demo", "{demo}", "--demo-url", "http://127.0.0.1:7080/demo")]
    [InlineData("pxp: --serve-demo: browsers join over WebSocket; add --listen ws://HOST:PORT/", "--serve-demo", "{demo}", "--listen", "tcp://127.0.0.1:0", "--demo-url", "http://127.0.0.1:0/")]
    public async Task Host_must_reject_a_demo_it_cannot_serve_with_one_line_and_exit_2(string expected, params string[] args)
    {
        var demo = Directory.CreateTempSubdirectory("pxp-demo-").FullName;
        try
        {
            // A folder with the files the host serves (their content does not matter here).
            Directory.CreateDirectory(Path.Combine(demo, "dist"));
            foreach (var file in new[] { "index.html", "demo.js", Path.Combine("dist", "pxp-browser.js") })
                await File.WriteAllTextAsync(Path.Combine(demo, file), "");
            await using var host = HostProcess.Start([.. args.Select(a => a.Replace("{demo}", demo))]);
            Assert.Equal(2, await host.WaitForExitAsync());
            Assert.Equal(expected, host.StandardError.TrimEnd('\n'));
        }
        finally
        {
            Directory.Delete(demo, recursive: true);
        }
    }

    [Fact]
    public async Task A_demo_folder_without_the_built_bundle_must_be_refused_with_how_to_build_it()
    {
        var demo = Directory.CreateTempSubdirectory("pxp-demo-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(demo, "index.html"), "");
            await File.WriteAllTextAsync(Path.Combine(demo, "demo.js"), "");
            await using var host = HostProcess.Start("--serve-demo", demo);
            Assert.Equal(2, await host.WaitForExitAsync());
            Assert.Equal($"pxp: --serve-demo: {demo} lacks dist/pxp-browser.js (the repo's demo/ folder serves once `npm ci && npm run build` ran in it)",
                host.StandardError.TrimEnd('\n'));
        }
        finally
        {
            Directory.Delete(demo, recursive: true);
        }
    }

    [Fact]
    public async Task Help_must_describe_the_demo_options()
    {
        await using var host = HostProcess.Start("--help");
        Assert.Equal(0, await host.WaitForExitAsync());
        var help = string.Join("\n", host.LinesNotJson);
        Assert.Contains("--serve-demo <DIR>", help);
        Assert.Contains("--demo-url <URL>", help);
    }
}
