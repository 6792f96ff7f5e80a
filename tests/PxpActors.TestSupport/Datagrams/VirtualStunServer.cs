using System.Net;
using PxpActors.WebRtc.Stun;
using PxpActors.WebRtc.Stun.Attributes;
using PxpActors.WebRtc.Datagrams;

namespace PxpActors.TestSupport.Datagrams;

/// <summary>A STUN server (RFC 8489 Binding only) on a <see cref="VirtualNetwork"/>, answering with XOR-MAPPED-ADDRESS.</summary>
public sealed class VirtualStunServer : IAsyncDisposable
{
    private readonly VirtualSocket _socket;
    private readonly Task _loop;
    private int _served;

    public VirtualStunServer(VirtualNetwork network, string address, int port = 3478)
    {
        var host = network.AddHost(address);
        _socket = host.BindSocket(new IPEndPoint(IPAddress.Parse(address), port));
        _loop = ServeAsync();
    }

    public IPEndPoint EndPoint => _socket.LocalEndPoint;
    public string Url => $"stun:{EndPoint.Address}:{EndPoint.Port}";
    public int RequestsServed => Volatile.Read(ref _served);

    public async ValueTask DisposeAsync()
    {
        await _socket.DisposeAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    private async Task ServeAsync()
    {
        var buffer = new byte[2048];
        while (true)
        {
            DatagramReceiveResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer).ConfigureAwait(false);
            }
            catch (DatagramConnectionClosedException)
            {
                return;
            }
            StunMessage request;
            try
            {
                request = StunMessage.Parse(buffer.AsSpan(0, received.Length));
            }
            catch (StunFormatException)
            {
                continue;
            }
            if (request.Type != StunMessageType.BindingRequest) continue;
            Interlocked.Increment(ref _served);
            var response = new StunMessage(StunMessageType.BindingSuccess, request.TransactionId,
                [new XorMappedAddressAttribute(received.RemoteEndPoint)]);
            await _socket.SendToAsync(response.Encode(fingerprint: true), received.RemoteEndPoint).ConfigureAwait(false);
        }
    }
}
