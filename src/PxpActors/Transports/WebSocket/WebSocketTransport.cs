using System.Net;
using System.Net.WebSockets;
using System.Security.Authentication;
using PxpActors.Resources;

namespace PxpActors.Transports.WebSocket;

/// <summary>
/// PXP over WebSocket, ws:// and wss:// (TLS): binary messages, compatible with the reference's websocket-stream. Dials
/// with <see cref="ClientWebSocket"/>, listens with Kestrel. The node's budget applies as over TCP: every connection
/// takes a slot of the socket gate, and a listener refuses connections past the per-address and pending-handshake limits
/// before they upgrade (after, the exchange counts them as any session). Sessions over it are named "ws".
/// </summary>
/// <param name="secure">wss:// (true) or ws://.</param>
/// <param name="settings">Message size and TLS certificates (pxp.websocket); the defaults when null.</param>
/// <param name="gate">Where the node counts its open sockets; none when null.</param>
/// <param name="limits">The per-address and pending-handshake limits a listener holds at its door; the defaults when null.</param>
/// <param name="handshakeTimeout">How long the HTTP upgrade (and TLS) may take, either way.</param>
public sealed class WebSocketTransport(bool secure, WebSocketSettings? settings = null, SocketGate? gate = null,
    ResourceLimits? limits = null, TimeSpan? handshakeTimeout = null) : ITransport
{
    private readonly WebSocketSettings _settings = settings ?? WebSocketSettings.Default;
    private readonly SocketGate _gate = gate ?? new SocketGate(int.MaxValue);
    private readonly ResourceLimits _limits = limits ?? ResourceLimits.Default;
    private readonly TimeSpan _handshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(10);

    /// <summary>"ws", for wss:// too: the transport is WebSocket either way.</summary>
    public string Scheme => "ws";

    private string UrlScheme => secure ? "wss" : "ws";

    /// <inheritdoc />
    public async Task<Stream> ConnectAsync(Uri address, CancellationToken cancellationToken = default)
    {
        RequireScheme(address);
        var validation = secure ? TlsCertificates.ClientValidation(_settings) : null;
        if (!_gate.TryEnter())
            throw new IOException($"Cannot connect to {address}: this node has its limit of {_gate.Cap} connections open (pxp.limits)");
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.KeepAliveInterval = TimeSpan.Zero; // PXP has no keep-alive of its own either; TCP's suffices
            if (validation is not null) socket.Options.RemoteCertificateValidationCallback = validation;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_handshakeTimeout);
            try
            {
                await socket.ConnectAsync(address, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"Cannot connect to {address}: no WebSocket upgrade within {_handshakeTimeout.TotalSeconds:0.#} s");
            }
            catch (WebSocketException e)
            {
                throw new IOException($"Cannot connect to {address}: {Reason(e)}", e);
            }
        }
        catch
        {
            socket.Dispose();
            _gate.Leave();
            throw;
        }
        return new WebSocketConnectionStream(socket, _settings.MaxMessageSize, RemoteEndPointOf(address), _gate.Leave);
    }

    /// <inheritdoc />
    public async Task<ITransportListener> ListenAsync(Uri address, Func<Stream, Task> onAccepted, Action<ListenerException>? onError = null,
        CancellationToken cancellationToken = default)
    {
        RequireScheme(address);
        var certificate = secure ? TlsCertificates.LoadServerCertificate(_settings) : null;
        return await WebSocketListener.StartAsync(address, certificate, new WebSocketAdmission(_gate, _limits), _settings,
            _handshakeTimeout, onAccepted, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The innermost reason: a refused certificate says so, rather than "unable to connect".</summary>
    private static string Reason(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException)
                return $"the server's TLS certificate is not trusted ({inner.Message}); trust it with pxp.websocket.tls.trusted-certificates";
        }
        var innermost = e;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        return innermost == e ? e.Message : $"{e.Message} ({innermost.Message})";
    }

    private static IPEndPoint? RemoteEndPointOf(Uri address) =>
        IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) ? new IPEndPoint(ip, address.Port) : null;

    private void RequireScheme(Uri address)
    {
        if (address.Scheme != UrlScheme)
            throw new ArgumentException($"This WebSocketTransport serves {UrlScheme}:// addresses, not {address.Scheme}://", nameof(address));
    }
}
