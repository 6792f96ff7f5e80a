using System.Net.Sockets;
using PxpActors.Diagnostics;

namespace PxpActors.Carriers;

/// <summary>
/// A session's frame sender onto its socket (see <see cref="SharedFrameWriter"/>), shared by its
/// <see cref="StreamCarrierStage"/> and by writers that send their frames themselves. A send the peer does not
/// take within the write timeout fails: the session is dead.
/// </summary>
internal sealed class SocketFrameWriter : SharedFrameWriter
{
    private readonly Socket _socket;
    private readonly TimeSpan _writeTimeout;

    internal SocketFrameWriter(Socket socket, TimeSpan writeTimeout, TransportTraffic traffic) : base(traffic)
    {
        _socket = socket;
        _writeTimeout = writeTimeout;
    }

    protected override async ValueTask SendFramesAsync(List<ArraySegment<byte>> frames, CancellationToken cancellationToken)
    {
        var send = _socket.SendAsync(frames, SocketFlags.None); // the list is read until the send completes
        if (!send.IsCompletedSuccessfully) await WaitForSendAsync(send).ConfigureAwait(false);
    }

    /// <summary>A stream socket's send completes once all is sent; one the peer does not take in time is a dead session.</summary>
    private async Task WaitForSendAsync(Task<int> send)
    {
        try
        {
            await send.WaitAsync(_writeTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the peer took no data for {_writeTimeout.TotalSeconds:0.###} s (it is not reading)");
        }
    }
}
