using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PxpActors.Host.Demo;

/// <summary>
/// --serve-demo: the browser demo page over HTTP (Kestrel). It serves four things only: the page (index.html), its
/// script (demo.js), the reference's browser bundle (dist/pxp-browser.js, built by npm in the demo folder) and
/// pxp-demo.json, which tells the page the network and the node's WebSocket addresses to join.
/// </summary>
internal sealed class DemoSite : IAsyncDisposable
{
    /// <summary>The files the folder must hold, by the path they are served at.</summary>
    private static readonly (string Path, string File, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/index.html", "index.html", "text/html; charset=utf-8"),
        ("/demo.js", "demo.js", "text/javascript; charset=utf-8"),
        ("/pxp-browser.js", Path.Combine("dist", "pxp-browser.js"), "text/javascript; charset=utf-8"),
    ];

    private readonly WebApplication _app;

    private DemoSite(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the page is (the real port when asked for port 0).</summary>
    public Uri Address { get; }

    /// <summary>Why <paramref name="folder"/> cannot be served, or null.</summary>
    public static string? FolderError(string folder)
    {
        if (!Directory.Exists(folder)) return $"--serve-demo: no folder {folder}";
        var missing = Files.Select(f => f.File).Distinct().Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        return missing.Count == 0
            ? null
            : $"--serve-demo: {folder} lacks {string.Join(", ", missing)} (the repo's demo/ folder serves once `npm ci && npm run build` ran in it)";
    }

    /// <summary>Serves the page from <paramref name="folder"/> at <paramref name="at"/> (http://HOST:PORT/).</summary>
    public static async Task<DemoSite> StartAsync(string folder, Uri at, string network, IReadOnlyList<Uri> webSockets,
        CancellationToken cancellationToken)
    {
        var config = JsonSerializer.SerializeToUtf8Bytes(new { network, connect = webSockets.Select(u => u.ToString()) });
        var files = Files.ToDictionary(f => f.Path, f => (Path.GetFullPath(Path.Combine(folder, f.File)), f.ContentType));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var ip = at.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(at.Host.Trim('[', ']'));
            kestrel.Listen(ip, at.Port);
        });
        var app = builder.Build();
        app.Run(context => AnswerAsync(context, files, config));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new DemoSite(app, new Uri($"http://{bound.Authority}/"));
    }

    private static async Task AnswerAsync(HttpContext context, Dictionary<string, (string File, string ContentType)> files, byte[] config)
    {
        var response = context.Response;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        response.Headers.CacheControl = "no-cache";
        if (context.Request.Path == "/pxp-demo.json")
        {
            response.ContentType = "application/json";
            await response.Body.WriteAsync(config, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (!files.TryGetValue(context.Request.Path.Value ?? "", out var file))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        response.ContentType = file.ContentType;
        await response.SendFileAsync(file.File, context.RequestAborted).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
