using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PxpActors.Transports.WebSocket;

/// <summary>
/// Accepts PXP peers over WebSocket on one address: Kestrel, HTTP/1.1, upgrades on the URL's path only, TLS for wss://.
/// Each upgraded connection is handed on as a <see cref="WebSocketConnectionStream"/> and lives until that stream is
/// disposed. Disposing the listener stops accepting at once; Kestrel itself stops once the accepted sessions have ended
/// (it would cut them if it stopped first).
/// </summary>
internal sealed class WebSocketListener : ITransportListener
{
    private readonly WebApplication _app;
    private readonly WebSocketAdmission _admission;
    private readonly X509Certificate2? _certificate;
    private Task? _stopped;

    private WebSocketListener(WebApplication app, WebSocketAdmission admission, X509Certificate2? certificate, Uri localAddress)
    {
        _app = app;
        _admission = admission;
        _certificate = certificate;
        LocalAddress = localAddress;
    }

    public Uri LocalAddress { get; }

    /// <summary>Completes when Kestrel has stopped, after disposal and the end of every accepted session.</summary>
    internal Task Stopped => _stopped ?? throw new InvalidOperationException("The listener is running");

    /// <summary>Pending HTTP/TLS handshakes at the door (see <see cref="WebSocketAdmission"/>).</summary>
    internal int PendingUpgrades => _admission.Pending;

    public static async Task<WebSocketListener> StartAsync(Uri address, X509Certificate2? certificate, WebSocketAdmission admission,
        WebSocketSettings settings, TimeSpan handshakeTimeout, Func<Stream, Task> onAccepted, CancellationToken cancellationToken)
    {
        var ip = address.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(address.Host.Trim('[', ']'));
        var path = address.AbsolutePath;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging(); // no providers: the node logs its sessions itself
        // Stopping waits for the accepted sessions to end (see the class comment): no deadline that would cut them.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = Timeout.InfiniteTimeSpan);
        // Inline scheduling: what a connection receives goes on to the WebSocket's reader on the socket's own thread,
        // not through the thread pool (a hop per read otherwise). Safe here: nothing downstream blocks (the transport
        // stage only hands results to its actor).
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = handshakeTimeout; // a connection that never upgrades holds its slot this long
            kestrel.Limits.KeepAliveTimeout = handshakeTimeout;
            kestrel.Listen(ip, address.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(admission.Middleware); // before TLS: a refused connection costs no handshake
                if (certificate is not null) listen.UseHttps(certificate, https => https.HandshakeTimeout = handshakeTimeout);
            });
        });
        // After Kestrel's own registration, so this one is the factory its socket transport resolves (the last wins).
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPool.Factory>();
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.Run(context => AcceptAsync(context, path, admission, settings, onAccepted));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            certificate?.Dispose();
            if (e is IOException { InnerException: AddressInUseException })
                throw new SocketException((int)SocketError.AddressAlreadyInUse); // as a TCP listener says it
            throw;
        }
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var local = new Uri($"{address.Scheme}://{bound.Authority}{path}");
        return new WebSocketListener(app, admission, certificate, local);
    }

    private static async Task AcceptAsync(HttpContext context, string path, WebSocketAdmission admission, WebSocketSettings settings,
        Func<Stream, Task> onAccepted)
    {
        if (context.Request.Path != path)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }
        var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        admission.Upgraded(context.Connection.Id);
        var remote = context.Connection.RemoteIpAddress is { } ip
            ? new IPEndPoint(WebSocketAdmission.Normalize(ip)!, context.Connection.RemotePort)
            : null;
        var stream = new WebSocketConnectionStream(socket, settings.MaxMessageSize, remote);
        try
        {
            await onAccepted(stream).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        await stream.Disposed.ConfigureAwait(false); // the connection lives as long as its session
    }

    public ValueTask DisposeAsync()
    {
        if (_stopped is not null) return ValueTask.CompletedTask;
        _admission.StopAccepting();
        _stopped = StopAsync();
        return ValueTask.CompletedTask;
    }

    private async Task StopAsync()
    {
        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _certificate?.Dispose();
        }
    }
}
