using Akka.Configuration;

namespace PxpActors.Transports.WebSocket;

/// <summary>How this node speaks PXP over WebSocket (<c>pxp.websocket</c> in hocon/reference.conf).</summary>
/// <param name="MaxMessageSize">Largest WebSocket message accepted from a peer; a larger one closes that connection.</param>
/// <param name="Certificate">A wss:// listener's certificate: a PEM file (with its key, or see <paramref name="Key"/>) or PKCS#12.</param>
/// <param name="Key">The PEM private key of <paramref name="Certificate"/> when it is in a file of its own.</param>
/// <param name="Password">Password of a PKCS#12 certificate or an encrypted PEM key.</param>
/// <param name="TrustedCertificates">
/// PEM certificates trusted for wss:// connections besides the system's (a private CA, a self-signed bootstrap node).
/// </param>
public sealed record WebSocketSettings(
    long MaxMessageSize = 2L * 1024 * 1024,
    string? Certificate = null,
    string? Key = null,
    string? Password = null,
    string? TrustedCertificates = null)
{
    /// <summary>The defaults of hocon/reference.conf.</summary>
    public static WebSocketSettings Default { get; } = new();

    /// <summary>Reads the <c>websocket</c> section of a <c>pxp</c> config.</summary>
    public static WebSocketSettings Create(Config websocket)
    {
        var tls = websocket.GetConfig("tls");
        return new WebSocketSettings(
            MaxMessageSize: websocket.GetByteSize("max-message-size") ?? Default.MaxMessageSize,
            Certificate: NullIfEmpty(tls.GetString("certificate")),
            Key: NullIfEmpty(tls.GetString("key")),
            Password: NullIfEmpty(tls.GetString("password")),
            TrustedCertificates: NullIfEmpty(tls.GetString("trusted-certificates")));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
