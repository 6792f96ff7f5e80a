using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using PxpActors.WebRtc.Transport;

namespace PxpActors.WebRtc.Ice.Mdns;

/// <summary>
/// Resolves a ".local" name the way browsers' mDNS host candidates need it: a one-shot query (RFC 6762 §5.1)
/// to the mDNS group from an ephemeral port, so responders answer by unicast; the query is repeated until
/// an answer or cancellation. Other names go to the system resolver.
/// </summary>
public static class MdnsResolver
{
    /// <summary>The IPv4 mDNS group and port (RFC 6762 §3).</summary>
    public static readonly IPEndPoint Group = new(IPAddress.Parse("224.0.0.251"), 5353);

    private static readonly TimeSpan RepeatInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The resolver <see cref="IceAgentOptions.ResolveHostName"/> uses by default: mDNS for ".local" names,
    /// DNS otherwise.
    /// </summary>
    public static Task<IPAddress[]> ResolveAsync(string name, CancellationToken cancellationToken) =>
        name.EndsWith(".local", StringComparison.OrdinalIgnoreCase)
            ? QueryAsync(name, Group, cancellationToken)
            : Dns.GetHostAddressesAsync(name, cancellationToken);

    /// <summary>Asks <paramref name="responder"/> (the mDNS group, or a unicast address in tests) for the name.</summary>
    public static async Task<IPAddress[]> QueryAsync(string name, IPEndPoint responder, CancellationToken cancellationToken)
    {
        var query = MdnsMessage.Query((ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1), name);
        await using var socket = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Any, 0));
        var buffer = new byte[9000];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await socket.SendToAsync(query, responder, cancellationToken).ConfigureAwait(false);
            using var repeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            repeat.CancelAfter(RepeatInterval);
            try
            {
                while (true)
                {
                    var received = await socket.ReceiveFromAsync(buffer, repeat.Token).ConfigureAwait(false);
                    var addresses = MdnsMessage.Addresses(buffer.AsSpan(0, received.Length), name);
                    if (addresses.Count > 0) return [.. addresses];
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // No answer within the interval: ask again.
            }
            catch (SocketException e)
            {
                throw new SocketException((int)e.SocketErrorCode, $"mDNS query for {name} failed: {e.Message}");
            }
        }
    }
}
