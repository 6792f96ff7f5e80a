using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using PxpActors.WebRtc.Datagrams;

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

    /// <summary>
    /// Whether an answer may come from <paramref name="from"/>. Asked at the group, responders answer from port 5353
    /// (RFC 6762 §6) and from our own link (§11): loopback, an IPv6 link-local address, or an address of a subnet one
    /// of our interfaces is on. Asked at one address (tests), only that address and port answer.
    /// </summary>
    internal static bool IsAnswerSource(IPEndPoint from, IPEndPoint responder)
    {
        var address = from.Address.IsIPv4MappedToIPv6 ? from.Address.MapToIPv4() : from.Address;
        if (from.Port != responder.Port) return false;
        if (!responder.Address.Equals(Group.Address)) return address.Equals(responder.Address);
        return IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || IsOnOurLink(address);
    }

    private static bool IsOnOurLink(IPAddress address)
    {
        foreach (var network in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (network.OperationalStatus != OperationalStatus.Up) continue;
            foreach (var unicast in network.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == address.AddressFamily && SharePrefix(unicast.Address, address, unicast.PrefixLength))
                    return true;
            }
        }
        return false;
    }

    private static bool SharePrefix(IPAddress a, IPAddress b, int prefixLength)
    {
        Span<byte> x = stackalloc byte[16];
        Span<byte> y = stackalloc byte[16];
        if (!a.TryWriteBytes(x, out var length) || !b.TryWriteBytes(y, out _)) return false;
        for (var bit = 0; bit < Math.Min(prefixLength, 8 * length); bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((x[bit / 8] & mask) != (y[bit / 8] & mask)) return false;
        }
        return true;
    }

    /// <summary>
    /// Asks <paramref name="responder"/> (the mDNS group, or a unicast address in tests) for the name. Asking the group,
    /// answers sent back to the group are heard too (see <see cref="MdnsGroupListener"/>).
    /// </summary>
    public static Task<IPAddress[]> QueryAsync(string name, IPEndPoint responder, CancellationToken cancellationToken) =>
        QueryAsync(name, responder, responder.Equals(Group) ? MdnsGroupListener.TryOpen() : null, cancellationToken);

    /// <summary>
    /// Asks <paramref name="responder"/>, repeating each second, and takes the first answer for the name: one to our query
    /// ID at our port, or one that <paramref name="groupAnswers"/> (owned and disposed here) hears from the responder
    /// with our ID or ID 0 (a multicast response's, RFC 6762 §18.1).
    /// </summary>
    internal static async Task<IPAddress[]> QueryAsync(string name, IPEndPoint responder, Socket? groupAnswers,
        CancellationToken cancellationToken)
    {
        using var group = groupAnswers;
        var id = (ushort)RandomNumberGenerator.GetInt32(1, ushort.MaxValue + 1); // never 0: that ID marks group answers
        var query = MdnsMessage.Query(id, name);
        await using var socket = UdpDatagramSocket.Bind(new IPEndPoint(IPAddress.Any, 0));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fromGroup = new TaskCompletionSource<IPAddress[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listening = group is null ? Task.CompletedTask : ListenToGroupAsync(group, name, id, responder, fromGroup, stop.Token);
        var buffer = new byte[9000];
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await socket.SendToAsync(query, responder, cancellationToken).ConfigureAwait(false);
                using var repeat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                repeat.CancelAfter(RepeatInterval);
                var unicast = ReceiveAnswerAsync(socket, buffer, name, id, responder, repeat.Token);
                try
                {
                    if (await Task.WhenAny(unicast, fromGroup.Task).ConfigureAwait(false) == unicast) return await unicast.ConfigureAwait(false);
                    await repeat.CancelAsync().ConfigureAwait(false);
                    await unicast.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false); // no receive outlives the socket
                    return await fromGroup.Task.ConfigureAwait(false);
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
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await listening.ConfigureAwait(false);
        }
    }

    private static async Task<IPAddress[]> ReceiveAnswerAsync(UdpDatagramSocket socket, byte[] buffer, string name, ushort id,
        IPEndPoint responder, CancellationToken cancellationToken)
    {
        while (true)
        {
            var received = await socket.ReceiveFromAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (!IsAnswerSource(received.RemoteEndPoint, responder)) continue;
            var addresses = MdnsMessage.Addresses(buffer.AsSpan(0, received.Length), id, name);
            if (addresses.Count > 0) return [.. addresses];
        }
    }

    private static async Task ListenToGroupAsync(Socket group, string name, ushort id, IPEndPoint responder,
        TaskCompletionSource<IPAddress[]> found, CancellationToken cancellationToken)
    {
        var buffer = new byte[9000];
        var anyone = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (true)
            {
                var received = await group.ReceiveFromAsync(buffer, SocketFlags.None, anyone, cancellationToken).ConfigureAwait(false);
                if (received.RemoteEndPoint is not IPEndPoint from || !IsAnswerSource(from, responder)) continue;
                var addresses = MdnsMessage.GroupAnswerAddresses(buffer.AsSpan(0, received.ReceivedBytes), id, name);
                if (addresses.Count == 0) continue;
                found.TrySetResult([.. addresses]);
                return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Answered, cancelled, or the group socket failed: the unicast path goes on alone.
        }
    }
}
